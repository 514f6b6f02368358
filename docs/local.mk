# docs/: the design map, the operator's guide and the API description (OpenAPI 3.1), shipped in the tarball.
EXTRA_DIST += docs/openapi.yaml docs/architecture.md docs/operations.md
EXTRA_DIST += docs/screenshots/dashboard.png docs/screenshots/sale.png

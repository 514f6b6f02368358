-- 0006_images: single-use, expiring links to upload a product image (local storage).

-- POST /products/{id}/image makes one; PUT /uploads/<token> uses it up. The
-- token is shown once and stored as its SHA-256 (hex). Rows expired for a
-- day are deleted by the app when the business asks for a new link.
CREATE TABLE image_uploads (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	product_id	uuid NOT NULL,
	content_type	text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
	size		int NOT NULL CHECK (size BETWEEN 1 AND 5242880),
	token_hash	text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_by	uuid,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX image_uploads_hash_key ON image_uploads (token_hash);
CREATE INDEX image_uploads_expiry_idx ON image_uploads (business_id, expires_at);
ALTER TABLE image_uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE image_uploads FORCE ROW LEVEL SECURITY;
CREATE POLICY image_uploads_tenant ON image_uploads
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
-- The upload itself carries only the token: find its business by the hash.
CREATE POLICY image_uploads_lookup ON image_uploads FOR SELECT
	USING (token_hash = NULLIF(current_setting('app.token_hash', true), ''));

/* bahi-catalog: the catalog worker (categories, products, stock, suppliers, batches and images). */
#include "bahi_worker.h"
#include "catalog.h"

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &catalog_worker);
}

/* bahi-invoicing: the invoicing worker (customers, invoices, incomplete sales, payments, debts and PDFs). */
#include "bahi_worker.h"
#include "invoicing.h"

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &invoicing_worker);
}

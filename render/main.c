/*
 * greendot-render — builds the static status site; everything is in
 * cli.c and the modules it wires (libgdrender.a, which the tests link).
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}

#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "glint-cli: not built yet\n");
	return 1;
}

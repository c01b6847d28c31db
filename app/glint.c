#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "glint: not built yet\n");
	return 1;
}

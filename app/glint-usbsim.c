#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "glint-usbsim: not built yet\n");
	return 1;
}

/* print_fixture.h - fictional certificates shared by the print tests. */
#ifndef TESTS_PRINT_FIXTURE_H
#define TESTS_PRINT_FIXTURE_H

#include "core/model.h"

/* Fills c with a complete certificate of n properties (0..PROPERTY_LIST_MAX). */
void print_fixture_cert(struct certificate *c, int n);

#endif

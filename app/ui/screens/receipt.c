/* receipt.c - 按受理编号查询: the progress of one application without a card,
 * by the receipt number printed on the acceptance notice (JZ, the day,
 * the number: 13 digits typed, the letters and the dash filled in). What
 * the registry shows for it is nothing personal. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>
#include <string.h>

void receipt_draw(struct kit *k)
{
    const struct session *s = k->s;
    int y = screens_back(k, tr("receipt.back"));
    y = chrome_title(k, y, tr("receipt.title"), tr("receipt.lead"));
    /* JZ 20261120-00123, growing as the digits come. */
    char shown[32] = "";
    size_t n = strlen(s->receipt);
    if (n)
        snprintf(shown, sizeof shown, "JZ %.8s%s%.5s", s->receipt, n > 8 ? "-" : "",
                 n > 8 ? s->receipt + 8 : "");
    bool bad = k->f->problem == PROBLEM_RECEIPT_INVALID;
    screens_number_entry(k, y, shown, tr("receipt.placeholder"), bad,
                         tr(bad ? "receipt.invalid" : "receipt.why"));
}

/* slip_test_util.h - demo tickets for the slip tests and the bench. */
#ifndef TESTS_SLIP_TEST_UTIL_H
#define TESTS_SLIP_TEST_UTIL_H

#include "base/util.h"
#include "print/slip_compose.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The queue ticket of shared/ui/15-queueslip-portrait.png, number n. */
static inline void slip_test_queue(struct slip_ticket *t, int n)
{
    memset(t, 0, sizeof *t);
    t->kind = SLIP_QUEUE;
    str_copy(t->office, sizeof t->office, "焦作市不动产登记中心");
    str_copy(t->hall, sizeof t->hall, "解放区服务大厅");
    snprintf(t->number, sizeof t->number, "C%03d", n);
    str_copy(t->service, sizeof t->service, "不动产登记资料查询");
    str_copy(t->windows, sizeof t->windows, "3 号、4 号窗口");
    t->ahead = 5;
    t->wait_min = 15;
    str_copy(t->time_limit, sizeof t->time_limit, "查询类业务 1 小时内办结");
    str_copy(t->materials[0], sizeof t->materials[0], "本人身份证原件");
    t->material_count = 1;
    snprintf(t->follow_url, sizeof t->follow_url, "https://bdc.example.cn/q/JZ-JF/%s", t->number);
    str_copy(t->printed_at, sizeof t->printed_at, "2025-09-16 09:46");
    str_copy(t->terminal, sizeof t->terminal, "自助终端 03");
}

/* An appointment slip with a checklist of three materials. */
static inline void slip_test_appointment(struct slip_ticket *t, int n)
{
    slip_test_queue(t, n);
    t->kind = SLIP_APPOINTMENT;
    snprintf(t->number, sizeof t->number, "Y%03d", n);
    str_copy(t->service, sizeof t->service, "二手房转移登记");
    str_copy(t->windows, sizeof t->windows, "7 号窗口");
    t->ahead = -1;
    t->wait_min = -1;
    str_copy(t->appointment, sizeof t->appointment, "2025-09-18 上午 09:00–10:00");
    str_copy(t->time_limit, sizeof t->time_limit, "转移登记 3 个工作日内办结");
    str_copy(t->materials[0], sizeof t->materials[0], "买卖双方身份证原件");
    str_copy(t->materials[1], sizeof t->materials[1], "不动产权证书原件");
    str_copy(t->materials[2], sizeof t->materials[2], "网签买卖合同及完税凭证");
    t->material_count = 3;
    snprintf(t->follow_url, sizeof t->follow_url, "https://bdc.example.cn/a/JZ-JF/%s", t->number);
}

/* The text of the QR code in the PNG at path, read back by zbarimg (the
 * bootstrap installs it; without it the text says so, and a check of the
 * text fails rather than passing unread). */
static inline void slip_test_read_qr(const char *path, char *out, size_t size)
{
    snprintf(out, size, "zbarimg missing");
    if (access("/usr/bin/zbarimg", X_OK) != 0)
        return;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw '%s' 2>/dev/null", path);
    out[0] = '\0';
    FILE *f = popen(cmd, "r");
    if (f) {
        if (!fgets(out, (int)size, f))
            out[0] = '\0';
        pclose(f);
    }
    out[strcspn(out, "\n")] = '\0';
}

#endif

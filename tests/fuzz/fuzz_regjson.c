/* fuzz_regjson.c - every registry reply parser over the same bytes.
 *
 * The kiosk parses bodies it did not choose: a properties page, a
 * certificate, a session reply, a problem, a health answer, the hall's
 * services, bookings, a proof's link and a staff check. Each parser
 * must return an error for anything malformed and never read out of
 * bounds; on success the strings it filled must be terminated within
 * their fields. One target feeds the input to all of them, so a seed of
 * any shape exercises every parser.
 */
#include "backend/regjson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_terminated(const char *s, size_t size)
{
    if (!memchr(s, '\0', size))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    char detail[REGJSON_DETAIL_MAX], cursor[REGJSON_CURSOR_MAX];

    static struct property_list list;
    memset(&list, 0, sizeof list);
    if (regjson_parse_properties(body, size, &list, cursor, sizeof cursor, detail, sizeof detail) ==
        0) {
        if (list.count < 0 || list.count > PROPERTY_LIST_MAX)
            abort();
        for (int i = 0; i < list.count; i++) {
            check_terminated(list.items[i].location, sizeof list.items[i].location);
            if (list.items[i].enc_count < 0 || list.items[i].enc_count > PROPERTY_ENC_MAX)
                abort();
        }
        check_terminated(cursor, sizeof cursor);
        /* A second page on top of the first must respect the cap too. */
        if (regjson_parse_properties(body, size, &list, cursor, sizeof cursor, detail,
                                     sizeof detail) == 0 &&
            list.count > PROPERTY_LIST_MAX)
            abort();
    }
    check_terminated(detail, sizeof detail);

    static struct certificate cert;
    if (regjson_parse_certificate(body, size, &cert, detail, sizeof detail) == 0) {
        check_terminated(cert.number, sizeof cert.number);
        if (cert.props.count > PROPERTY_LIST_MAX)
            abort();
    }
    check_terminated(detail, sizeof detail);

    struct regjson_session s;
    if (regjson_parse_session(body, size, &s, detail, sizeof detail) == 0) {
        check_terminated(s.token, sizeof s.token);
        for (const char *p = s.token; *p; p++)
            if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
                abort();
    }

    struct regjson_problem pr;
    if (regjson_parse_problem(body, size, &pr) == 0) {
        check_terminated(pr.title, sizeof pr.title);
        (void)regjson_problem_map(pr.status, pr.type);
    }
    int64_t at;
    (void)regjson_parse_health(body, size, &at);

    /* The ticket reply (POST /v1/tickets): its number keys the print
     * journal and its texts go on a slip, line by line. */
    static struct ticket tk;
    if (regjson_parse_ticket(body, size, &tk, detail, sizeof detail) == 0) {
        check_terminated(tk.number, sizeof tk.number);
        check_terminated(tk.follow_url, sizeof tk.follow_url);
        if (!tk.number[0] || tk.ahead < 0 || tk.wait_minutes < 0 || tk.material_count < 0 ||
            tk.material_count > TICKET_MATERIALS_MAX)
            abort();
        for (int i = 0; i < tk.material_count; i++)
            if (strchr(tk.materials[i], '\n'))
                abort();
    }
    /* The hall's services: lists stay within their bounds, slots within
     * their capacity, a receipt lookup never names a place. */
    static struct service_list sl;
    if (regjson_parse_services(body, size, &sl, detail, sizeof detail) == 0) {
        if (sl.count < 0 || sl.count > SERVICE_LIST_MAX)
            abort();
        for (int i = 0; i < sl.count; i++)
            if (!sl.items[i].code[0] || sl.items[i].material_count > TICKET_MATERIALS_MAX ||
                sl.items[i].fee_count > SERVICE_FEES_MAX || sl.items[i].limit_value < 1)
                abort();
    }
    static struct hall_notice hn;
    if (regjson_parse_notice(body, size, &hn, detail, sizeof detail) == 0 &&
        (hn.hours_count < 1 || hn.hours_count > NOTICE_HOURS_MAX))
        abort();
    static struct slot_list sv;
    if (regjson_parse_slots(body, size, &sv, detail, sizeof detail) == 0) {
        for (int d = 0; d < sv.day_count; d++)
            for (int i = 0; i < sv.days[d].slot_count; i++)
                if (sv.days[d].slots[i].remaining > sv.days[d].slots[i].capacity)
                    abort();
    }
    if (regjson_parse_appointment(body, size, &tk, detail, sizeof detail) == 0) {
        check_terminated(tk.appointment, sizeof tk.appointment);
        if (!tk.code[0] || !tk.number[0])
            abort();
    }
    /* The citizen's bookings: within the bound, each a booking with a
     * state of the contract. */
    static struct booking_list bl;
    if (regjson_parse_bookings(body, size, &bl, detail, sizeof detail) == 0) {
        if (bl.count < 0 || bl.count > BOOKING_LIST_MAX)
            abort();
        for (int i = 0; i < bl.count; i++) {
            check_terminated(bl.items[i].state, sizeof bl.items[i].state);
            if (!bl.items[i].code[0] || !bl.items[i].state[0])
                abort();
        }
    }
    /* A proof's link becomes a QR code: http(s) and no spaces. */
    static struct cert_link cl;
    if (regjson_parse_cert_link(body, size, &cl, detail, sizeof detail) == 0) {
        check_terminated(cl.url, sizeof cl.url);
        check_terminated(cl.expires_at, sizeof cl.expires_at);
        if ((strncmp(cl.url, "http://", 7) != 0 && strncmp(cl.url, "https://", 8) != 0) ||
            strchr(cl.url, ' ') || !cl.expires_at[0])
            abort();
    }
    static struct application_list al;
    if (regjson_parse_applications(body, size, &al, detail, sizeof detail) == 0 &&
        (al.count < 0 || al.count > APPLICATION_LIST_MAX))
        abort();
    /* Whether a card is a staff member's: a "no" keeps nothing, a "yes"
     * names a staff number fit for the audit trail. */
    struct staff_info st;
    if (regjson_parse_staff(body, size, &st, detail, sizeof detail) == 0) {
        check_terminated(st.staff_no, sizeof st.staff_no);
        check_terminated(st.name_masked, sizeof st.name_masked);
        check_terminated(st.role, sizeof st.role);
        if (st.staff ? !st.staff_no[0] || !st.name_masked[0] : st.staff_no[0] || st.role[0])
            abort();
    }
    static struct application ap;
    if (regjson_parse_application(body, size, &ap, detail, sizeof detail) == 0 && ap.location[0])
        abort();
    check_terminated(detail, sizeof detail);
    return 0;
}

/* test_visit_wipe.c - what the UI drew of a visit does not outlive it.
 *
 * A visit's records screen puts the citizen's addresses and masked name
 * into the text cache, and the face screen the camera's picture into a
 * texture. When the view's session ends, the UI drops them (overwritten
 * first); the home screen's own texts stay cached, and those no screen
 * drew since the visit before go. */
#include "base/err.h"
#include "core/i18n.h"
#include "ui/ui.h"
#include "ui/ui_internal.h"
#include "tests/unit/check.h"
#include "ui_fixtures.h"

#include <stdint.h>
#include <string.h>

#define ADDRESS "民主南路168号"

static struct flow g_flow;
static struct session g_session;
static unsigned g_gen;
static uint8_t g_camera[64 * 48 * 3];

static void show(struct ui *ui, enum flow_screen screen, bool visit)
{
    fixture_flow(&g_flow, screen);
    if (visit)
        fixture_session(&g_session, 3);
    else
        memset(&g_session, 0, sizeof g_session); /* session_wipe's result */
    struct ui_view v = {.generation = ++g_gen, .flow = &g_flow, .session = &g_session};
    if (screen == SCREEN_FACE_CAPTURE) {
        v.camera_rgb = g_camera;
        v.camera_w = 64;
        v.camera_h = 48;
        v.camera_seq = g_gen;
    }
    ui_set_view(ui, &v);
    ui_render(ui);
}

int main(void)
{
    CHECK_EQ_INT(i18n_load("assets/strings"), 0);
    struct ui_config cfg = {.width = 1080,
                            .height = 1920,
                            .headless = true,
                            .still = true,
                            .office = "焦作市不动产登记中心",
                            .hall = "解放区服务大厅",
                            .terminal = "03"};
    struct ui *ui = ui_create(&cfg);
    CHECK(ui != NULL);
    if (!ui)
        return check_report("test_visit_wipe");

    show(ui, SCREEN_HOME, false);
    CHECK(text_cache_holds(&ui->k, "查询不动产"));
    show(ui, SCREEN_FACE_CAPTURE, true);
    CHECK(ui->k.camera_tex != NULL);
    show(ui, SCREEN_RECORDS, true);
    CHECK(text_cache_holds(&ui->k, ADDRESS)); /* else this test proves nothing */
    CHECK(text_cache_holds(&ui->k, "张**"));

    show(ui, SCREEN_HOME, false); /* the visit ended */
    CHECK(!text_cache_holds(&ui->k, ADDRESS));
    CHECK(!text_cache_holds(&ui->k, "张**"));
    CHECK(ui->k.camera_tex == NULL);
    CHECK(text_cache_holds(&ui->k, "查询不动产")); /* drawn again, or kept */

    /* The next visit draws the same texts again. */
    show(ui, SCREEN_RECORDS, true);
    CHECK(text_cache_holds(&ui->k, ADDRESS));
    show(ui, SCREEN_HOME, false);
    CHECK(!text_cache_holds(&ui->k, ADDRESS));

    /* Text no screen drew since the visit before goes at a visit's end
     * (the cache does not grow with every hour's clock): the closed
     * screen's, drawn once between visits, outlives the next visit, not
     * the one after. The home screen's stays, drawn after each visit. */
    show(ui, SCREEN_CLOSED, false);
    CHECK(text_cache_holds(&ui->k, "本机暂停服务"));
    show(ui, SCREEN_HOME, false);
    show(ui, SCREEN_RECORDS, true);
    show(ui, SCREEN_HOME, false);
    CHECK(text_cache_holds(&ui->k, "本机暂停服务"));
    show(ui, SCREEN_RECORDS, true);
    show(ui, SCREEN_HOME, false);
    CHECK(!text_cache_holds(&ui->k, "本机暂停服务"));
    CHECK(text_cache_holds(&ui->k, "查询不动产"));

    ui_destroy(ui);
    i18n_unload();
    return check_report("test_visit_wipe");
}

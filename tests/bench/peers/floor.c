/* floor.c - the least an SDL2 + SDL2_ttf program can do to show the same home page as home.html:
 * a header, six tiles with two lines each, a footer with a clock redrawn once a second.
 * It is the floor for start-up time and memory: a kiosk cannot start faster or smaller than this
 * on the same display. Prints "first frame after N ms" (from BDC_KIOSK_T0_NS, else from main()).
 * Build: cc -O2 floor.c -o floor $(pkg-config --cflags --libs sdl2 SDL2_ttf)
 * Run:   DISPLAY=:58 BDC_KIOSK_T0_NS=$(date +%s%N) ./floor FONT.ttc INDEX [--fullscreen] */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop;
static void on_term(int s)
{
    (void)s;
    stop = 1;
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void text(SDL_Renderer *r, TTF_Font *f, const char *s, SDL_Color c, int cx, int cy)
{
    SDL_Surface *su = TTF_RenderUTF8_Blended(f, s, c);
    if (!su)
        return;
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, su);
    SDL_Rect d = {cx - su->w / 2, cy - su->h / 2, su->w, su->h};
    SDL_RenderCopy(r, t, NULL, &d);
    SDL_DestroyTexture(t);
    SDL_FreeSurface(su);
}

static void draw(SDL_Renderer *r, TTF_Font *h1, TTF_Font *big, TTF_Font *small, TTF_Font *foot)
{
    static const char *tiles[6][2] = {
        {"产权查询", "Property record"}, {"证书打印", "Certificate print"},
        {"登记预约", "Appointment"},     {"材料核验", "Document check"},
        {"进度查询", "Progress"},        {"人脸核验", "Face verification"}};
    SDL_Color white = {255, 255, 255, 255}, navy = {11, 61, 110, 255},
              grey = {0x55, 0x55, 0x77, 255};
    SDL_SetRenderDrawColor(r, 11, 61, 110, 255);
    SDL_RenderClear(r);
    SDL_SetRenderDrawColor(r, 15, 76, 136, 255);
    SDL_RenderFillRect(r, &(SDL_Rect){0, 0, 1920, 180});
    text(r, h1, "不动产自助服务", white, 960, 90);
    for (int i = 0; i < 6; i++) {
        int x = 960 - (3 * 520 + 2 * 80) / 2 + (i % 3) * 600,
            y = 180 + (780 - 660) / 2 + (i / 3) * 360;
        SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
        SDL_RenderFillRect(r, &(SDL_Rect){x, y, 520, 300});
        text(r, big, tiles[i][0], navy, x + 260, y + 125);
        text(r, small, tiles[i][1], grey, x + 260, y + 195);
    }
    SDL_SetRenderDrawColor(r, 8, 44, 80, 255);
    SDL_RenderFillRect(r, &(SDL_Rect){0, 960, 1920, 120});
    char clock[64];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(clock, sizeof clock, "%d年%d月%d日 %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    text(r, foot, "服务热线 12345", white, 240, 1020);
    text(r, foot, clock, white, 1560, 1020);
    SDL_RenderPresent(r);
}

int main(int argc, char **argv)
{
    const char *t0s = getenv("BDC_KIOSK_T0_NS");
    long long t0 = t0s ? atoll(t0s) : now_ns();
    if (argc < 3) {
        fprintf(stderr, "usage: floor FONT INDEX [--fullscreen]\n");
        return 2;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    int full = argc > 3 && strcmp(argv[3], "--fullscreen") == 0;
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "floor: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window *w = SDL_CreateWindow("floor", 0, 0, 1920, 1080, full ? SDL_WINDOW_FULLSCREEN : 0);
    SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, 0) : NULL;
    long idx = atol(argv[2]);
    TTF_Font *h1 = TTF_OpenFontIndex(argv[1], 84, idx), *big = TTF_OpenFontIndex(argv[1], 56, idx);
    TTF_Font *small = TTF_OpenFontIndex(argv[1], 28, idx),
             *foot = TTF_OpenFontIndex(argv[1], 40, idx);
    if (!r || !h1 || !big || !small || !foot) {
        fprintf(stderr, "floor: %s\n", SDL_GetError());
        return 1;
    }
    draw(r, h1, big, small, foot);
    fprintf(stderr, "first frame after %.1f ms\n", (now_ns() - t0) / 1e6);
    while (!stop) {
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, 1000 - (int)(now_ns() / 1000000 % 1000)) && e.type == SDL_QUIT)
            break;
        draw(r, h1, big, small, foot);
    }
    TTF_Quit();
    SDL_Quit();
    return 0;
}

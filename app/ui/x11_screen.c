/* x11_screen.c - a fullscreen kiosk on an X server without a window
 * manager follows the screen when it changes size at run time: a display
 * turned to portrait, another mode set through RandR.
 *
 * SDL 2.26 keeps an X display's first size (its RandR handler leaves the
 * mode of a display that stays connected as it was) and sends no
 * SDL_DISPLAYEVENT for it, and with no window manager nobody else resizes
 * a fullscreen window: the kiosk would go on drawing the old shape over
 * part of the turned screen, the rest black. So the UI listens to X's
 * own news of the screen (as SDL_SYSWMEVENT): the root window's
 * ConfigureNotify, which it asks for, and RandR's notices, which SDL asks
 * for; on either it reads the root window's size and, when it is not the
 * window's, moves and resizes its window over the whole screen. X's
 * answer reaches SDL as SDL_WINDOWEVENT_SIZE_CHANGED and the layout
 * follows as for any resize. Under a window manager the request goes to
 * the window manager, which keeps a fullscreen window on its monitor
 * anyway; under other video drivers (Wayland under cage) this does
 * nothing and the compositor resizes the window.
 * UI thread only.
 */
#include "ui/x11_screen.h"

#include "base/log.h"

#include <SDL2/SDL_syswm.h> /* X11/Xlib.h: Debian's SDL is built with its X11 driver */
#include <X11/extensions/randr.h>

/* The X display win is on, NULL when it is not on X; its X window in
 * *xwin. */
static Display *x11_display(SDL_Window *win, Window *xwin)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!win || !SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_X11)
        return NULL;
    *xwin = info.info.x11.window;
    return info.info.x11.display;
}

void x11_screen_watch(SDL_Window *win)
{
    Window xwin;
    Display *d = x11_display(win, &xwin);
    if (!d)
        return;
    /* added to what SDL selects there (PropertyChange, for ICC profiles) */
    Window root = DefaultRootWindow(d);
    XWindowAttributes a;
    if (XGetWindowAttributes(d, root, &a))
        XSelectInput(d, root, a.your_event_mask | StructureNotifyMask);
    XFlush(d);
    SDL_EventState(SDL_SYSWMEVENT, SDL_ENABLE);
}

/* Whether x is news of the screen: the root window configured, or a
 * RandR notice (a mode, an output, the screen's size changed). */
static bool is_screen_news(Display *d, const XEvent *x)
{
    if (x->type == ConfigureNotify)
        return x->xconfigure.window == DefaultRootWindow(d);
    int opcode, event_base, error_base;
    return XQueryExtension(d, "RANDR", &opcode, &event_base, &error_base) &&
           (x->type == event_base + RRScreenChangeNotify || x->type == event_base + RRNotify);
}

bool x11_screen_follow(SDL_Window *win, const SDL_Event *e)
{
    if (e->type != SDL_SYSWMEVENT || !e->syswm.msg || e->syswm.msg->subsystem != SDL_SYSWM_X11)
        return false;
    Window xwin;
    Display *d = x11_display(win, &xwin);
    if (!d || !is_screen_news(d, &e->syswm.msg->msg.x11.event))
        return false;
    Window root;
    int x, y;
    unsigned sw, sh, border, depth;
    if (!XGetGeometry(d, DefaultRootWindow(d), &root, &x, &y, &sw, &sh, &border, &depth))
        return false;
    /* the size last asked for, until SDL has seen the window take it */
    static unsigned asked_w, asked_h;
    int w, h;
    SDL_GetWindowSize(win, &w, &h);
    if ((unsigned)w == sw && (unsigned)h == sh) {
        asked_w = asked_h = 0;
        return false;
    }
    if (sw == asked_w && sh == asked_h)
        return false;
    asked_w = sw;
    asked_h = sh;
    log_info("ui", "the X screen is now %ux%u: the window follows", sw, sh);
    XMoveResizeWindow(d, xwin, 0, 0, sw, sh);
    XFlush(d);
    return true;
}

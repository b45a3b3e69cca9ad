/* x11_screen.h - a fullscreen window on an X server with no window
 * manager follows the screen when its size changes at run time. See
 * x11_screen.c. UI thread only. */
#ifndef UI_X11_SCREEN_H
#define UI_X11_SCREEN_H

#include <SDL2/SDL.h>
#include <stdbool.h>

/* Asks X to report the root window's changes of size to SDL (as
 * SDL_SYSWMEVENT). Does nothing unless win is on an X server. Borrows win. */
void x11_screen_watch(SDL_Window *win);

/* For an SDL_SYSWMEVENT: when it says the X screen changed size, moves
 * win to the screen's top left and gives it the screen's size (SDL then
 * reports SDL_WINDOWEVENT_SIZE_CHANGED). Returns true when it did. */
bool x11_screen_follow(SDL_Window *win, const SDL_Event *e);

#endif

/*
 * style.h — the page's stylesheet, inlined into its <style>.
 *
 * No external resource: the page works behind any firewall and from a
 * file:// URL.  The text never holds '<', '>' or '&' (no child
 * combinators): in polyglot XHTML the serialiser would escape them and a
 * browser reading the page as HTML would see "&gt;" in the CSS.
 * tests/unit/render/test_html.c checks that.
 */
#ifndef RENDER_STYLE_H
#define RENDER_STYLE_H

extern const char style_css[];

/* Area colours with a palette of their own (class "area-<name>");
 * others fall back to a neutral one, or to their #rrggbb as accent. */
extern const char *const style_area_colours[];

#endif

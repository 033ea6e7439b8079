#pragma once

#include <QPalette>
#include <QString>

/// Dark or light, as the desktop asks. Qt 6.4 has no QStyleHints::colorScheme(), and
/// without a platform theme plugin the style's palette stays light on a dark desktop; so
/// the console reads the desktop's own setting and, when it asks for dark, gives the
/// application a dark palette. Every panel and chart paints from the palette, so they
/// follow.
namespace ColorScheme {

enum class Scheme { Light, Dark };

/// The scheme a palette shows: dark when its window colour is darker than its text.
Scheme of(const QPalette &palette);
/// What the desktop asks for, read from `configHome` (XDG_CONFIG_HOME): KDE's kdeglobals
/// colour scheme, else GTK's prefer-dark setting or dark theme; `override` ("dark" or
/// "light", from QUORUMDECK_COLOR_SCHEME) wins. Light when nothing says.
Scheme desktop(const QString &configHome, const QString &override = {});
/// A dark palette for the Fusion style, with the console's own contrast.
QPalette darkPalette();
/// Makes the application follow the desktop: a dark palette when it asks for dark and the
/// style gives a light one. Reads two small files: call before the window opens.
void followDesktop();

} // namespace ColorScheme

#include "widgets/ColorScheme.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>

namespace ColorScheme {

Scheme of(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness()
        ? Scheme::Dark
        : Scheme::Light;
}

Scheme desktop(const QString &configHome, const QString &override)
{
    if (override.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return Scheme::Dark;
    if (override.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return Scheme::Light;
    const QDir home(configHome);
    // KDE Plasma: [General] ColorScheme=BreezeDark.
    if (home.exists(QStringLiteral("kdeglobals"))) {
        const QSettings kde(home.filePath(QStringLiteral("kdeglobals")), QSettings::IniFormat);
        // QSettings reads an INI file's [General] section as keys without a group.
        const QString scheme = kde.value(QStringLiteral("ColorScheme")).toString();
        if (!scheme.isEmpty())
            return scheme.contains(QLatin1String("dark"), Qt::CaseInsensitive) ? Scheme::Dark : Scheme::Light;
    }
    // GTK (GNOME, Xfce, …): [Settings] gtk-application-prefer-dark-theme=1 or a "-dark" theme.
    for (const char *file : {"gtk-4.0/settings.ini", "gtk-3.0/settings.ini"}) {
        const QString path = home.filePath(QLatin1String(file));
        if (!QFile::exists(path))
            continue;
        const QSettings gtk(path, QSettings::IniFormat);
        const QString prefer = gtk.value(QStringLiteral("Settings/gtk-application-prefer-dark-theme")).toString();
        if (prefer == QLatin1String("1") || prefer.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return Scheme::Dark;
        if (gtk.value(QStringLiteral("Settings/gtk-theme-name"))
                .toString()
                .contains(QLatin1String("dark"), Qt::CaseInsensitive))
            return Scheme::Dark;
    }
    return Scheme::Light;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x21, 0x23), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa1));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x51));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x43, 0x47));
    p.setColor(QPalette::Mid, QColor(0x5c, 0x60, 0x64));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xf0));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x83, 0x87));
    return p;
}

void followDesktop()
{
    const QString configHome = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    const Scheme wanted = desktop(configHome, qEnvironmentVariable("QUORUMDECK_COLOR_SCHEME"));
    if (wanted == Scheme::Dark && of(QApplication::palette()) == Scheme::Light) {
        // Fusion draws every control from the palette; other styles may keep light parts.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    }
}

} // namespace ColorScheme

#include "window/AlertTray.h"

#include "widgets/StateColors.h"

#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

AlertTray::AlertTray(const QIcon &base, QObject *parent)
    : QObject(parent)
    , m_base(base)
    , m_icon(base)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(m_icon, this);
    m_tray->setToolTip(tr("QuorumDeck"));
    connect(m_tray, &QSystemTrayIcon::activated, this, &AlertTray::activated);
    m_tray->show();
}

void AlertTray::setState(Level level, const QString &words)
{
    if (level != m_level) {
        m_level = level;
        QPixmap pixmap = m_base.pixmap(64, 64);
        if (pixmap.isNull()) {
            pixmap = QPixmap(64, 64);
            pixmap.fill(Qt::transparent);
        }
        if (level != Level::Clear) {
            QPainter p(&pixmap);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(Qt::white, 4));
            p.setBrush(level == Level::Firing ? StateColors::bad() : StateColors::warning());
            p.drawEllipse(QRectF(30, 30, 32, 32));
        }
        m_icon = QIcon(pixmap);
        if (m_tray)
            m_tray->setIcon(m_icon);
    }
    if (m_tray)
        m_tray->setToolTip(words.isEmpty() ? tr("QuorumDeck") : tr("QuorumDeck — %1").arg(words));
}

void AlertTray::show(const AlertNotifier::Notice &notice)
{
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(notice.title, notice.body,
            notice.critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information, 10000);
}

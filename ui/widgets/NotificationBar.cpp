#include "widgets/NotificationBar.h"

#include "widgets/ColorScheme.h"
#include "widgets/SentenceCase.h"
#include "widgets/StateColors.h"

#include <QApplication>

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

NotificationBar::NotificationBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    m_hide.setSingleShot(true);
    connect(&m_hide, &QTimer::timeout, this, &QWidget::hide);
    hide();
}

void NotificationBar::show(Kind kind, const QString &text)
{
    m_kind = kind;
    m_label->setText(SentenceCase::of(text));
    // Pastel on a light window; on a dark one the kind's colour a quarter over the window's,
    // with the window's own text. The window's palette, not this bar's own earlier one.
    const QPalette window = parentWidget() ? parentWidget()->palette() : QApplication::palette();
    QPalette pal = window;
    if (ColorScheme::of(window) == ColorScheme::Scheme::Dark) {
        const QColor tint = kind == Kind::Failure ? StateColors::bad()
            : kind == Kind::Success               ? StateColors::good()
            : kind == Kind::Warning               ? StateColors::warning()
                                                  : window.color(QPalette::Highlight);
        const QColor under = window.color(QPalette::Window);
        pal.setColor(QPalette::Window,
            QColor::fromRgbF(under.redF() * 0.75f + tint.redF() * 0.25f, under.greenF() * 0.75f + tint.greenF() * 0.25f,
                under.blueF() * 0.75f + tint.blueF() * 0.25f));
    } else {
        pal.setColor(QPalette::Window,
            kind == Kind::Failure       ? QColor(0xf8, 0xd7, 0xd3)
                : kind == Kind::Success ? QColor(0xd7, 0xef, 0xd9)
                : kind == Kind::Warning ? QColor(0xff, 0xec, 0xc7)
                                        : QColor(0xdd, 0xe7, 0xf5));
        pal.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    }
    setPalette(pal);
    QWidget::show();
    // Failures and warnings stay until dismissed or replaced; the rest fade after a while.
    if (kind == Kind::Failure || kind == Kind::Warning)
        m_hide.stop();
    else
        m_hide.start(kind == Kind::Info ? 15000 : 8000);
}

QString NotificationBar::text() const
{
    return m_label->text();
}

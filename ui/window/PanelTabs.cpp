#include "window/PanelTabs.h"

#include <QEvent>

PanelTabs::PanelTabs(QWidget *parent)
    : QTabWidget(parent)
{
}

QSize PanelTabs::sizeHint() const
{
    if (!m_sizeHint.isValid())
        m_sizeHint = QTabWidget::sizeHint();
    return m_sizeHint;
}

QSize PanelTabs::minimumSizeHint() const
{
    if (!m_minimumSizeHint.isValid())
        m_minimumSizeHint = QTabWidget::minimumSizeHint();
    return m_minimumSizeHint;
}

void PanelTabs::tabInserted(int index)
{
    QTabWidget::tabInserted(index);
    forgetHints();
}

void PanelTabs::tabRemoved(int index)
{
    QTabWidget::tabRemoved(index);
    forgetHints();
}

void PanelTabs::changeEvent(QEvent *event)
{
    QTabWidget::changeEvent(event);
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::StyleChange:
    case QEvent::LanguageChange:
        forgetHints();
        break;
    default:
        break;
    }
}

void PanelTabs::forgetHints()
{
    m_sizeHint = QSize();
    m_minimumSizeHint = QSize();
    updateGeometry();
}

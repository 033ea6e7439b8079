#include "widgets/SteadyLabel.h"

#include <QEvent>

SteadyLabel::SteadyLabel(QWidget *parent)
    : SteadyLabel(QString(), parent)
{
}

SteadyLabel::SteadyLabel(const QString &text, QWidget *parent)
    : QLabel(text, parent)
{
    fit(true);
}

void SteadyLabel::setSteadyText(const QString &text)
{
    if (text == QLabel::text())
        return;
    // A fixed size makes the label's geometry change its own business (QWidget asks the
    // parent's layout again only when the minimum and maximum sizes differ).
    setText(text);
    fit(false);
}

void SteadyLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fit(true);
}

void SteadyLabel::fit(bool mayShrink)
{
    const QSize hint = sizeHint();
    const QSize wanted = mayShrink ? hint : hint.expandedTo(minimumSize());
    if (wanted != minimumSize() || wanted != maximumSize())
        setFixedSize(wanted);
}

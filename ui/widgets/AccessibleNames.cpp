#include "widgets/AccessibleNames.h"

#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QRegularExpression>
#include <QWidget>

namespace AccessibleNames {

namespace {

QString spokenName(const QWidget *w)
{
    QAccessibleInterface *ai = QAccessible::queryAccessibleInterface(const_cast<QWidget *>(w));
    return ai ? ai->text(QAccessible::Name).trimmed() : w->accessibleName();
}

/// "Walk only the keys that start with this, e.g. /registry/pods/" → "Walk only the keys
/// that start with this".
QString firstClause(const QString &tip)
{
    QString text = tip;
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>"))); // rich text
    const qsizetype end = text.indexOf(QRegularExpression(QStringLiteral("[.,;:(\\n]")));
    return (end < 0 ? text : text.left(end)).trimmed();
}

/// "mastersTable" → "Masters table"; Qt's own names ("qt_…") say nothing.
QString fromObjectName(const QString &name)
{
    if (name.isEmpty() || name.startsWith(QLatin1String("qt_")))
        return {};
    QString words;
    for (const QChar c : name) {
        if (c.isUpper() && !words.isEmpty())
            words += QLatin1Char(' ');
        words += c.toLower();
    }
    words[0] = words[0].toUpper();
    return words;
}

QString groupTitle(const QWidget *w)
{
    for (const QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
        if (const auto *box = qobject_cast<const QGroupBox *>(p))
            return box->title().remove(QLatin1Char('&'));
    }
    return {};
}

} // namespace

void fillIn(QWidget *root)
{
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!(w->focusPolicy() & Qt::TabFocus) || !spokenName(w).isEmpty())
            continue;
        // The editor inside a spin box or a combo box speaks for it: named after it below.
        if (qobject_cast<QLineEdit *>(w)
            && (qobject_cast<QAbstractSpinBox *>(w->parentWidget()) || qobject_cast<QComboBox *>(w->parentWidget())))
            continue;
        QString name = firstClause(w->toolTip());
        if (name.isEmpty())
            name = fromObjectName(w->objectName());
        if (name.isEmpty())
            name = groupTitle(w);
        if (!name.isEmpty())
            w->setAccessibleName(name);
    }
    for (QWidget *w : root->findChildren<QWidget *>()) {
        auto *edit = qobject_cast<QLineEdit *>(w);
        if (edit && edit->parentWidget() && spokenName(edit).isEmpty()
            && (qobject_cast<QAbstractSpinBox *>(edit->parentWidget())
                || qobject_cast<QComboBox *>(edit->parentWidget())))
            edit->setAccessibleName(spokenName(edit->parentWidget()));
    }
}

} // namespace AccessibleNames

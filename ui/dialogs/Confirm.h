#pragma once

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

class QWidget;

/// Asks the operator to confirm a destructive action without a nested event loop: the
/// question is shown window-modal and the answer arrives through the callback. Tests set
/// the next answer beforehand, and then no dialog is shown at all.
namespace Confirm {

/// The confirming button is labelled with the title, which names the action.
void ask(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> answered);
/// The same with the confirming button labelled with what it does ("Disarm CORRUPT").
void ask(QWidget *parent, const QString &title, const QString &text, const QString &action,
    std::function<void(bool)> answered);

/// Queues the answer an ask() gives without showing anything, one per call (tests only).
void setNextAnswer(bool yes);
/// Every question asked since the last call, in order.
QStringList takeQuestions();
/// The text of the last question asked, shown or answered in advance.
QString lastQuestion();

} // namespace Confirm

#pragma once

#include <QString>
#include <functional>
#include <optional>

class QWidget;

/// Asks the operator to confirm a destructive action without a nested event loop: the
/// question is shown window-modal and the answer arrives through the callback. Tests set
/// the next answer beforehand, and then no dialog is shown at all.
namespace Confirm {

void ask(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> answered);

/// The answer the next ask() gives without showing anything (tests only).
void setNextAnswer(bool yes);
/// The text of the last question asked, shown or answered in advance.
QString lastQuestion();

} // namespace Confirm

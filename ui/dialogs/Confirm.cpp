#include "dialogs/Confirm.h"

#include "widgets/SentenceCase.h"

#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTimer>

namespace {
QList<bool> g_nextAnswers;
QString g_lastQuestion;
QStringList g_questions;
} // namespace

namespace Confirm {

void ask(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> answered)
{
    // The confirming button says what it does, as the title does ("Transfer leadership").
    ask(parent, title, text, title, std::move(answered));
}

void ask(QWidget *parent, const QString &title, const QString &text, const QString &action,
    std::function<void(bool)> answered)
{
    g_lastQuestion = text;
    g_questions << text;
    if (!g_nextAnswers.isEmpty()) {
        const bool yes = g_nextAnswers.takeFirst();
        // Answer later, as a person would, so callers see one behaviour.
        QTimer::singleShot(0, [answered, yes] { answered(yes); });
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning, title, SentenceCase::of(text), QMessageBox::Yes | QMessageBox::Cancel, parent);
    if (!action.isEmpty())
        box->button(QMessageBox::Yes)->setText(action);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
        [box, answered](int) { answered(box->clickedButton() == box->button(QMessageBox::Yes)); });
    box->open();
}

void setNextAnswer(bool yes)
{
    g_nextAnswers << yes;
}

QStringList takeQuestions()
{
    return std::exchange(g_questions, {});
}

QString lastQuestion()
{
    return g_lastQuestion;
}

} // namespace Confirm

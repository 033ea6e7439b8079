#include "dialogs/Confirm.h"

#include <QMessageBox>
#include <QPointer>
#include <QTimer>

namespace {
std::optional<bool> g_nextAnswer;
QString g_lastQuestion;
} // namespace

namespace Confirm {

void ask(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> answered)
{
    g_lastQuestion = text;
    if (g_nextAnswer) {
        const bool yes = *g_nextAnswer;
        g_nextAnswer.reset();
        // Answer later, as a person would, so callers see one behaviour.
        QTimer::singleShot(0, [answered, yes] { answered(yes); });
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Yes | QMessageBox::Cancel, parent);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
        [box, answered](int) { answered(box->clickedButton() == box->button(QMessageBox::Yes)); });
    box->open();
}

void setNextAnswer(bool yes)
{
    g_nextAnswer = yes;
}

QString lastQuestion()
{
    return g_lastQuestion;
}

} // namespace Confirm

#include "dialogs/HelpDialog.h"

#include <QAbstractTextDocumentLayout>
#include <QDialogButtonBox>
#include <QFile>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace {

QString readme()
{
    QFile file(QStringLiteral(":/help/README.md"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

HelpDialog::HelpDialog(QWidget *parent)
    : QDialog(parent)
    , m_text(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("helpDialog"));
    setWindowTitle(tr("QuorumDeck help"));
    m_text->setOpenExternalLinks(true);
    m_text->setMarkdown(readme());
    m_text->setAccessibleName(tr("Help text"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(820, 640);
}

QStringList HelpDialog::sections()
{
    QStringList titles;
    static const QRegularExpression heading(QStringLiteral("^## (.+)$"), QRegularExpression::MultilineOption);
    const QString text = readme();
    for (auto it = heading.globalMatch(text); it.hasNext();)
        titles << it.next().captured(1).trimmed();
    return titles;
}

bool HelpDialog::showSection(const QString &title)
{
    // Headings become blocks with a heading level; the first of that title is the section.
    for (QTextBlock block = m_text->document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() == 2 && block.text().trimmed() == title) {
            m_text->setTextCursor(QTextCursor(block));
            const int top = int(m_text->document()->documentLayout()->blockBoundingRect(block).top());
            m_text->verticalScrollBar()->setValue(top);
            return true;
        }
    }
    return false;
}

QString HelpDialog::currentSection() const
{
    QString section;
    const QTextBlock at = m_text->textCursor().block();
    for (QTextBlock block = m_text->document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() == 2)
            section = block.text().trimmed();
        if (block == at)
            break;
    }
    return section;
}

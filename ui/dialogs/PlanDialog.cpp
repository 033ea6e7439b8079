#include "dialogs/PlanDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

PlanDialog::PlanDialog(
    const QString &title, const QString &intro, const QList<Section> &sections, const QString &outro, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("planDialog"));
    setWindowTitle(title);
    resize(860, 640);
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    auto *introLabel = new QLabel(intro, content);
    introLabel->setWordWrap(true);
    introLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout->addWidget(introLabel);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const Section &s : sections) {
        auto *box = new QGroupBox(s.title, content);
        auto *commands = new QPlainTextEdit(s.commands, box);
        commands->setReadOnly(true);
        commands->setFont(fixed);
        commands->setLineWrapMode(QPlainTextEdit::NoWrap);
        // Tall enough for every line, no taller: the dialog scrolls, not each box.
        const int lines = int(s.commands.count(QLatin1Char('\n'))) + 2;
        commands->setFixedHeight(QFontMetrics(fixed).lineSpacing() * lines + 12);
        auto *copy = new QPushButton(tr("Copy"), box);
        copy->setToolTip(tr("Copy these commands to the clipboard"));
        connect(copy, &QPushButton::clicked, this, [text = s.commands] { QApplication::clipboard()->setText(text); });
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(commands);
        boxLayout->addWidget(copy, 0, Qt::AlignRight);
        contentLayout->addWidget(box);
    }
    if (!outro.isEmpty()) {
        auto *outroLabel = new QLabel(outro, content);
        outroLabel->setWordWrap(true);
        outroLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        contentLayout->addWidget(outroLabel);
    }
    contentLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
}

#include "dialogs/AboutDialog.h"

#include "common/BuildInfo.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

AboutDialog::AboutDialog(const QString &etcdServer, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About QuorumDeck"));
    auto *icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(128, 128));
    auto *text = new QLabel(this);
    text->setTextFormat(Qt::RichText);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    text->setOpenExternalLinks(true);
    text->setText(
        tr("<h2>QuorumDeck %1</h2>"
           "<p>An operations console for highly available etcd control planes.</p>"
           "<p><pre>%2</pre></p>"
           "<p>Licensed under the %3 licence. <a href='https://quorumdeck.github.io'>"
           "quorumdeck.github.io</a></p>")
            .arg(BuildInfo::version(),
                (buildText()
                    + QStringLiteral("\nserver    %1").arg(etcdServer.isEmpty() ? tr("not connected") : etcdServer))
                    .toHtmlEscaped(),
                BuildInfo::licence()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy build details"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [] { QApplication::clipboard()->setText(buildText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
}

QString AboutDialog::buildText()
{
    return QStringLiteral("version   %1\nrevision  %2\nbuilt     %3\nQt        %4\ngRPC      %5\netcd      %6")
        .arg(BuildInfo::version(), BuildInfo::revision().isEmpty() ? tr("(not from git)") : BuildInfo::revision(),
            BuildInfo::buildDate(), BuildInfo::qtVersion(), BuildInfo::grpcVersion(), BuildInfo::etcdApi());
}

#include "logs/MemberLogView.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"

#include "logs/MemberLogTail.h"
#include "logs/MemberLogModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

MemberLogView::MemberLogView(QWidget *parent)
    : QWidget(parent)
    , m_model(new MemberLogModel(this))
    , m_member(new QComboBox(this))
    , m_level(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_leadershipOnly(new QCheckBox(tr("Leadership &only"), this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_member->setObjectName(QStringLiteral("logMember"));
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_text->setObjectName(QStringLiteral("logText"));
    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_view->setObjectName(QStringLiteral("logLines"));
    m_level->addItem(tr("All levels"), int(MemberLogEntry::Level::Debug));
    m_level->addItem(tr("Info and above"), int(MemberLogEntry::Level::Info));
    m_level->addItem(tr("Warnings and errors"), int(MemberLogEntry::Level::Warn));
    m_level->addItem(tr("Errors"), int(MemberLogEntry::Level::Error));
    m_text->setPlaceholderText(tr("Filter lines (e.g. leader, snapshot, 8e9e05c5)"));
    m_text->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep reading as the member writes, and keep the newest line in view"));

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(MemberLogModel::Time, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(MemberLogModel::Level, QHeaderView::ResizeToContents);

    auto *bar = new QHBoxLayout;
    auto *memberLabel = new QLabel(tr("&Member:"), this);
    memberLabel->setBuddy(m_member);
    bar->addWidget(memberLabel);
    bar->addWidget(m_member);
    bar->addWidget(m_level);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_leadershipOnly);
    bar->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_member, &QComboBox::currentTextChanged, this, &MemberLogView::open);
    connect(m_level, &QComboBox::currentIndexChanged, this, &MemberLogView::applyFilter);
    connect(m_text, &QLineEdit::textChanged, this, &MemberLogView::applyFilter);
    connect(m_leadershipOnly, &QCheckBox::toggled, m_model, &MemberLogModel::setLeadershipOnly);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_view->scrollToBottom();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_view->scrollToBottom();
    });
    setCluster({});
}

void MemberLogView::setCluster(const ClusterManifest &manifest)
{
    m_manifest = manifest;
    const QString keep = m_member->currentText();
    QSignalBlocker block(m_member);
    m_member->clear();
    for (const LocalMember &m : manifest.members)
        m_member->addItem(m.name);
    setEnabled(!manifest.members.isEmpty());
    if (manifest.members.isEmpty()) {
        if (m_tail)
            m_tail->dispose();
        m_tail = nullptr;
        m_model->clear();
        m_status->setText(tr("Member logs are shown for demo clusters, whose processes the console runs."));
        return;
    }
    const int index = std::max(0, m_member->findText(keep));
    m_member->setCurrentIndex(index);
    // Another cluster may use the same member names: compare the files, not the names.
    const LocalMember *shown = manifest.member(m_member->currentText());
    if (!m_tail || !shown || m_tail->path() != shown->logFile)
        open(m_member->currentText());
}

QString MemberLogView::currentMember() const
{
    return m_member->currentText();
}

bool MemberLogView::following() const
{
    return m_follow->isChecked();
}

void MemberLogView::showMember(const QString &name)
{
    m_member->setCurrentText(name);
}

void MemberLogView::open(const QString &name)
{
    if (m_tail)
        m_tail->dispose(); // a read under way finishes on its own, unwaited for
    m_tail = nullptr;
    m_model->clear();
    const LocalMember *m = m_manifest.member(name);
    if (!m)
        return;
    m_status->setText(m->logFile);
    m_tail = new MemberLogTail(m->logFile, this);
    connect(m_tail, &MemberLogTail::linesRead, this, [this](const QList<MemberLogEntry> &lines, bool restarted) {
        if (restarted)
            m_model->clear();
        m_model->append(lines);
        jumpIfPending();
    });
    connect(m_tail, &MemberLogTail::failed, m_status, &QLabel::setText);
    m_tail->start(500);
}

void MemberLogView::applyFilter()
{
    m_model->setFilter(MemberLogEntry::Level(m_level->currentData().toInt()), m_text->text());
    if (m_follow->isChecked())
        m_view->scrollToBottom();
}

void MemberLogView::showMoment(const QStringList &members, qint64 timeMs)
{
    QString chosen;
    for (const QString &name : members) {
        if (m_manifest.member(name)) {
            chosen = name;
            break;
        }
    }
    if (chosen.isEmpty())
        return;
    m_follow->setChecked(false);
    m_pendingMoment = timeMs;
    if (chosen != m_member->currentText())
        showMember(chosen); // the jump happens when its log has been read
    else
        jumpIfPending();
}

void MemberLogView::jumpIfPending()
{
    if (!m_pendingMoment || m_model->rowCount() == 0)
        return;
    const int row = m_model->rowForEvent(m_pendingMoment);
    m_pendingMoment = 0;
    const QModelIndex index = m_model->index(row, MemberLogModel::Message);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MemberLogView::setSession(ConsoleSession *session)
{
    if (m_session && m_session->demo())
        disconnect(m_session->demo(), nullptr, this, nullptr);
    m_session = session;
    DemoController *demo = session ? session->demo() : nullptr;
    setCluster(demo ? demo->manifest() : ClusterManifest());
    if (demo)
        connect(demo, &DemoController::changed, this, [this, demo] { setCluster(demo->manifest()); });
}

#include "logs/MemberLogView.h"

#include "kube/ControlPlaneLogs.h"
#include "kube/KubeClient.h"
#include "kube/KubeConfig.h"
#include "logs/JournalTail.h"
#include "logs/MemberLogModel.h"
#include "logs/MemberLogTail.h"
#include "session/ConsoleSession.h"
#include "session/ControlPlaneSession.h"
#include "session/DemoController.h"
#include "widgets/TableColumns.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace {

constexpr int kKindRole = Qt::UserRole;
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kPodTailLines = 500;
constexpr int kJournalLines = 2000;
const QString kJournalUnit = QStringLiteral("etcd");

} // namespace

QString MemberLogView::allMembers()
{
    return tr("All members");
}

QString MemberLogView::podsSource(const QString &component)
{
    return tr("%1 on every master").arg(component);
}

MemberLogView::MemberLogView(QWidget *parent)
    : QWidget(parent)
    , m_model(new MemberLogModel(this))
    , m_journalctl(!QStandardPaths::findExecutable(QStringLiteral("journalctl")).isEmpty())
    , m_member(new QComboBox(this))
    , m_sourceFilter(new QComboBox(this))
    , m_level(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("Follo&w"), this))
    , m_leadershipOnly(new QCheckBox(tr("Leadership &only"), this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_member->setObjectName(QStringLiteral("logMember"));
    m_sourceFilter->setObjectName(QStringLiteral("logSourceFilter"));
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_text->setObjectName(QStringLiteral("logText"));
    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_view->setObjectName(QStringLiteral("logLines"));
    m_member->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_member->setToolTip(tr("Whose log to read: one member, every member merged by time, a control-plane "
                            "component on every master, or this machine's journal"));
    m_sourceFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_sourceFilter->setToolTip(tr("Show the lines of one member only"));
    m_level->addItem(tr("All levels"), int(MemberLogEntry::Level::Debug));
    m_level->addItem(tr("Info and above"), int(MemberLogEntry::Level::Info));
    m_level->addItem(tr("Warnings and errors"), int(MemberLogEntry::Level::Warn));
    m_level->addItem(tr("Errors"), int(MemberLogEntry::Level::Error));
    m_text->setPlaceholderText(tr("Filter lines (e.g. leader, snapshot, 8e9e05c5)"));
    m_text->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep reading as the members write, and keep the newest line in view"));
    m_status->setWordWrap(true);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    TableColumns::fit(m_view, MemberLogModel::Message);
    m_view->setToolTip(tr("Double-click a leadership line to see its election"));

    auto *bar = new QHBoxLayout;
    auto *memberLabel = new QLabel(tr("&Log of:"), this);
    memberLabel->setBuddy(m_member);
    bar->addWidget(memberLabel);
    bar->addWidget(m_member);
    bar->addWidget(m_sourceFilter);
    bar->addWidget(m_level);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_leadershipOnly);
    bar->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_member, &QComboBox::currentIndexChanged, this, &MemberLogView::open);
    connect(m_sourceFilter, &QComboBox::currentIndexChanged, this,
        [this] { m_model->setSourceFilter(m_sourceFilter->currentData().toString()); });
    connect(m_model, &MemberLogModel::sourcesChanged, this, [this](const QStringList &sources) {
        const QString keep = m_sourceFilter->currentData().toString();
        QSignalBlocker block(m_sourceFilter);
        m_sourceFilter->clear();
        m_sourceFilter->addItem(tr("Every member"), QString());
        for (const QString &s : sources)
            m_sourceFilter->addItem(s, s);
        m_sourceFilter->setCurrentIndex(std::max(0, m_sourceFilter->findData(keep)));
    });
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
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const MemberLogEntry *e = m_model->entryAt(index.row());
        if (e && e->isLeadership() && e->timeMs)
            emit electionLineActivated(e->timeMs);
    });
    setCluster({});
}

MemberLogView::~MemberLogView()
{
    closeSources();
}

void MemberLogView::setCluster(const ClusterManifest &manifest)
{
    // Another cluster may use the same member names: compare the files, not the names.
    QStringList before, after;
    for (const LocalMember &m : std::as_const(m_manifest.members))
        before << m.logFile;
    for (const LocalMember &m : manifest.members)
        after << m.logFile;
    m_manifest = manifest;
    rebuildSources();
    const Kind kind = Kind(m_member->currentData(kKindRole).toInt());
    if (before != after && m_member->currentIndex() >= 0 && (kind == Kind::DemoAll || kind == Kind::DemoMember))
        open();
}

void MemberLogView::rebuildSources()
{
    const QString keep = m_member->currentText();
    QSignalBlocker block(m_member);
    m_member->clear();
    const auto add = [this](const QString &text, Kind kind, const QString &name) {
        m_member->addItem(text);
        m_member->setItemData(m_member->count() - 1, int(kind), kKindRole);
        m_member->setItemData(m_member->count() - 1, name, kNameRole);
    };
    if (!m_manifest.members.isEmpty()) {
        add(allMembers(), Kind::DemoAll, {});
        for (const LocalMember &m : std::as_const(m_manifest.members))
            add(m.name, Kind::DemoMember, m.name);
    }
    ControlPlaneSession *plane = m_session ? m_session->controlPlane() : nullptr;
    if (plane && plane->hasReport() && plane->unavailable().isEmpty()) {
        for (const QString &component : ControlPlaneLogs::components())
            add(podsSource(component), Kind::Pods, component);
    }
    const bool clusterSources = m_member->count() > 0;
    if (m_journalctl)
        add(tr("This machine's journal (%1)").arg(kJournalUnit), Kind::Journal, kJournalUnit);
    m_member->setCurrentIndex(m_member->findText(keep));
    block.unblock();
    if (m_member->currentIndex() >= 0 && !m_opened.isEmpty())
        return; // what is shown is still there: it goes on
    if (clusterSources) {
        m_member->setCurrentIndex(0);
        if (m_opened.isEmpty())
            open();
        return;
    }
    // Nothing of the cluster's own to read; the journal waits to be chosen.
    m_member->setCurrentIndex(-1);
    closeSources();
    m_model->clear();
    m_status->setText(tr("Members' logs are shown for demo clusters (whose processes the console runs), for "
                         "Kubernetes control planes the profile's kubeconfig reaches (through the API), and "
                         "from this machine's journal."));
}

QString MemberLogView::currentMember() const
{
    return m_member->currentText();
}

bool MemberLogView::following() const
{
    return m_follow->isChecked();
}

bool MemberLogView::merged() const
{
    return Kind(m_member->currentData(kKindRole).toInt()) != Kind::DemoMember;
}

void MemberLogView::showMember(const QString &name)
{
    m_member->setCurrentText(name);
}

void MemberLogView::closeSources()
{
    ++m_generation;
    m_opened.clear();
    for (MemberLogTail *t : std::as_const(m_tails))
        t->dispose(); // a read under way finishes on its own, unwaited for
    m_tails.clear();
    delete m_podLogs; // aborts its streams
    m_podLogs = nullptr;
    delete m_kube;
    m_kube = nullptr;
    if (m_journal) {
        m_journal->stop();
        m_journal->deleteLater();
        m_journal = nullptr;
    }
}

void MemberLogView::open()
{
    closeSources();
    m_model->clear();
    if (m_member->currentIndex() < 0)
        return;
    m_opened = m_member->currentText();
    m_view->setColumnHidden(MemberLogModel::Source, !merged());
    m_sourceFilter->setVisible(merged());
    const QString name = m_member->currentData(kNameRole).toString();
    switch (Kind(m_member->currentData(kKindRole).toInt())) {
    case Kind::DemoAll:
        for (const LocalMember &m : std::as_const(m_manifest.members))
            openDemoMember(m.name, true);
        m_status->setText(m_manifest.members.size() == 1
                ? tr("The log of %1.").arg(m_manifest.members.constFirst().name)
                : tr("The logs of %1 members, merged by time.").arg(m_manifest.members.size()));
        break;
    case Kind::DemoMember:
        openDemoMember(name, false);
        break;
    case Kind::Pods:
        openPods(name);
        break;
    case Kind::Journal:
        openJournal();
        break;
    }
}

void MemberLogView::openDemoMember(const QString &name, bool merged)
{
    const LocalMember *m = m_manifest.member(name);
    if (!m)
        return;
    if (!merged)
        m_status->setText(m->logFile);
    auto *tail = new MemberLogTail(m->logFile, this);
    m_tails << tail;
    connect(tail, &MemberLogTail::linesRead, this, [this, name, merged](QList<MemberLogEntry> lines, bool restarted) {
        if (merged) {
            for (MemberLogEntry &e : lines)
                e.source = name;
            m_model->merge(lines);
        } else {
            if (restarted)
                m_model->clear();
            m_model->append(lines);
        }
        jumpIfPending();
    });
    connect(tail, &MemberLogTail::failed, m_status, &QLabel::setText);
    tail->start(500);
}

void MemberLogView::openPods(const QString &component)
{
    ControlPlaneSession *plane = m_session ? m_session->controlPlane() : nullptr;
    if (!plane)
        return;
    m_status->setText(tr("Finding the %1 pods …").arg(component));
    // The kubeconfig is a file: read off this thread.
    auto *watcher = new QFutureWatcher<Result<KubeCredentials>>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, component] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Result<KubeCredentials> credentials = watcher->result();
        if (!credentials) {
            m_status->setText(credentials.error().describe());
            return;
        }
        m_kube = new KubeClient(credentials.value(), this);
        ControlPlaneLogs::Options o;
        o.component = component;
        o.follow = true;
        o.tailLines = kPodTailLines;
        m_podLogs = new ControlPlaneLogs(m_kube, o, this);
        connect(
            m_podLogs, &ControlPlaneLogs::podsFound, this, [this, component](const QList<ControlPlaneLogs::Pod> &pods) {
                QStringList names;
                for (const ControlPlaneLogs::Pod &p : pods)
                    names << p.name;
                if (!pods.isEmpty())
                    m_status->setText(
                        tr("%1 through the API (pods/log), merged by time.").arg(names.join(QStringLiteral(", "))));
                Q_UNUSED(component);
            });
        connect(m_podLogs, &ControlPlaneLogs::linesRead, this, [this](const QList<MemberLogEntry> &lines) {
            m_model->merge(lines);
            jumpIfPending();
        });
        connect(m_podLogs, &ControlPlaneLogs::failed, m_status, &QLabel::setText);
        m_podLogs->start();
    });
    watcher->setFuture(
        QtConcurrent::run([paths = plane->kubeconfigPaths()] { return KubeConfig::credentialsFrom(paths); }));
}

void MemberLogView::openJournal()
{
    JournalTail::Options o;
    o.units = {kJournalUnit};
    o.follow = true;
    o.lines = kJournalLines;
    m_journal = new JournalTail(o, this);
    m_status->setText(tr("journalctl %1").arg(m_journal->arguments().join(QLatin1Char(' '))));
    connect(m_journal, &JournalTail::linesRead, this, [this](const QList<MemberLogEntry> &lines) {
        m_model->merge(lines);
        jumpIfPending();
    });
    connect(m_journal, &JournalTail::failed, m_status, &QLabel::setText);
    m_journal->start();
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
    if (Kind(m_member->currentData(kKindRole).toInt()) != Kind::DemoAll && chosen != m_member->currentText())
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
    if (m_session) {
        if (m_session->demo())
            disconnect(m_session->demo(), nullptr, this, nullptr);
        disconnect(m_session->controlPlane(), nullptr, this, nullptr);
    }
    m_session = session;
    DemoController *demo = session ? session->demo() : nullptr;
    setCluster(demo ? demo->manifest() : ClusterManifest());
    if (demo)
        connect(demo, &DemoController::changed, this, [this, demo] { setCluster(demo->manifest()); });
    if (session) {
        connect(session->controlPlane(), &ControlPlaneSession::reportReady, this, &MemberLogView::rebuildSources);
        connect(
            session->controlPlane(), &ControlPlaneSession::unavailableChanged, this, &MemberLogView::rebuildSources);
    }
}

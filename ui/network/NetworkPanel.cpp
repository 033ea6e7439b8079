#include "network/NetworkPanel.h"
#include "session/ConsoleSession.h"
#include "widgets/TableColumns.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
enum Column { Member, State, Fault, Connections, Heal, ColumnCount };
}

NetworkPanel::NetworkPanel(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_member(new QComboBox(this))
    , m_delay(new QSpinBox(this))
    , m_jitter(new QSpinBox(this))
    , m_drop(new QSpinBox(this))
    , m_isolate(new QPushButton(tr("&Isolate"), this))
    , m_applyDelay(new QPushButton(tr("De&lay"), this))
    , m_applyDrop(new QPushButton(tr("Dro&p"), this))
    , m_healAll(new QPushButton(tr("H&eal all"), this))
{
    m_table->setObjectName(QStringLiteral("networkTable"));
    m_member->setObjectName(QStringLiteral("networkMember"));
    m_isolate->setObjectName(QStringLiteral("networkIsolate"));
    m_applyDelay->setObjectName(QStringLiteral("networkDelay"));
    m_applyDrop->setObjectName(QStringLiteral("networkDrop"));
    m_healAll->setObjectName(QStringLiteral("networkHealAll"));
    m_table->setHorizontalHeaderLabels({tr("Member"), tr("State"), tr("Fault"), tr("Peer connections"), QString()});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    TableColumns::fit(m_table, Fault);

    m_delay->setRange(0, 10000);
    m_delay->setValue(300);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setToolTip(tr("Added to every chunk on the member's peer links, each way"));
    m_jitter->setRange(0, 10000);
    m_jitter->setSuffix(tr(" ms"));
    m_jitter->setPrefix(QStringLiteral("± "));
    m_jitter->setToolTip(tr("Up to this much more or less, at random; order is kept"));
    m_drop->setRange(0, 100);
    m_drop->setValue(10);
    m_drop->setSuffix(QStringLiteral(" %"));
    m_isolate->setToolTip(tr("Cut the member off from every peer, both ways"));
    m_healAll->setToolTip(tr("Lift every fault on every member (Demo ▸ Heal the network, Ctrl+Shift+H)"));

    auto *faults = new QGroupBox(tr("Inject a fault"), this);
    auto *row = new QHBoxLayout(faults);
    auto *memberLabel = new QLabel(tr("&Member:"), faults);
    memberLabel->setBuddy(m_member);
    row->addWidget(memberLabel);
    row->addWidget(m_member);
    row->addWidget(m_isolate);
    row->addSpacing(12);
    row->addWidget(m_delay);
    row->addWidget(m_jitter);
    row->addWidget(m_applyDelay);
    row->addSpacing(12);
    row->addWidget(m_drop);
    row->addWidget(m_applyDrop);
    row->addStretch(1);
    row->addWidget(m_healAll);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(faults);
    layout->addWidget(m_table, 1);

    connect(m_isolate, &QPushButton::clicked, this, [this] {
        NetworkFault f = currentFault(m_member->currentText());
        f.isolated = true;
        emit faultRequested(m_member->currentText(), f);
    });
    connect(m_applyDelay, &QPushButton::clicked, this, [this] {
        NetworkFault f = currentFault(m_member->currentText());
        f.delayMs = m_delay->value();
        f.jitterMs = m_jitter->value();
        emit faultRequested(m_member->currentText(), f);
    });
    connect(m_applyDrop, &QPushButton::clicked, this, [this] {
        NetworkFault f = currentFault(m_member->currentText());
        f.dropPercent = m_drop->value();
        emit faultRequested(m_member->currentText(), f);
    });
    connect(m_healAll, &QPushButton::clicked, this, &NetworkPanel::healAllRequested);
    setUnavailable(tr("Network faults need a demo cluster started by QuorumDeck: its members' peer links run "
                      "through proxies the console controls."));
}

NetworkFault NetworkPanel::currentFault(const QString &member) const
{
    for (const MemberNetwork &n : m_network)
        if (n.member == member)
            return n.fault;
    return {};
}

void NetworkPanel::setUnavailable(const QString &why)
{
    m_network.clear();
    m_table->setRowCount(0);
    m_member->clear();
    m_status->setText(why);
    for (QWidget *w : std::initializer_list<QWidget *> {m_isolate, m_applyDelay, m_applyDrop, m_healAll})
        w->setEnabled(false);
}

void NetworkPanel::setNetwork(const QList<MemberNetwork> &network, bool connected)
{
    if (!connected) {
        setUnavailable(tr("The demo's peer proxies do not answer; `quorumdeck demo net serve` restarts them."));
        return;
    }
    m_network = network;
    const QString chosen = m_member->currentText();
    m_member->clear();
    int faulty = 0;
    m_table->setRowCount(int(network.size()));
    for (int i = 0; i < network.size(); ++i) {
        const MemberNetwork &n = network.at(i);
        m_member->addItem(n.member);
        faulty += n.fault.any();
        auto *state = new QTableWidgetItem(n.fault.isolated ? tr("cut off")
                : n.fault.any()                             ? tr("impaired")
                                                            : tr("ok"));
        if (n.fault.any())
            state->setForeground(n.fault.isolated ? QColor(0xc0, 0x30, 0x30) : QColor(0xe6, 0x7e, 0x22));
        m_table->setItem(i, Member, new QTableWidgetItem(n.member));
        m_table->setItem(i, State, state);
        m_table->setItem(i, Fault, new QTableWidgetItem(n.fault.any() ? n.fault.describe() : QString()));
        m_table->setItem(i, Connections, new QTableWidgetItem(QString::number(n.connections)));
        auto *heal = new QPushButton(tr("Heal"), m_table);
        heal->setObjectName(QStringLiteral("heal-%1").arg(n.member));
        heal->setEnabled(n.fault.any());
        heal->setToolTip(tr("Restore %1's peer links").arg(n.member));
        connect(heal, &QPushButton::clicked, this, [this, member = n.member] { emit faultRequested(member, {}); });
        m_table->setCellWidget(i, Heal, heal);
    }
    m_member->setCurrentIndex(std::max(0, m_member->findText(chosen)));
    m_status->setText(faulty ? (faulty == 1 ? tr("One member has a fault on its peer links.")
                                            : tr("%1 members have a fault on their peer links.").arg(faulty))
                             : tr("Every member's peer links are healthy."));
    for (QWidget *w : std::initializer_list<QWidget *> {m_isolate, m_applyDelay, m_applyDrop})
        w->setEnabled(!network.isEmpty());
    m_healAll->setEnabled(faulty > 0);
}

void NetworkPanel::setSession(ConsoleSession *session)
{
    if (m_session && m_session->network())
        disconnect(m_session->network(), nullptr, this, nullptr);
    m_session = session;
    if (!session)
        return;
    if (NetworkWatch *network = session->network()) {
        setNetwork({}, false);
        connect(network, &NetworkWatch::changed, this,
            [this, network] { setNetwork(network->state(), network->connected()); });
    } else {
        setUnavailable(tr("Network faults need a demo cluster started by QuorumDeck: its members' peer links run "
                          "through proxies the console controls."));
    }
}

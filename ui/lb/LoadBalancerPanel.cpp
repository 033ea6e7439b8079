#include "lb/LoadBalancerPanel.h"
#include "session/ConsoleSession.h"

#include "common/Format.h"
#include "dialogs/Confirm.h"
#include "lb/LbModel.h"
#include "widgets/StateColors.h"
#include "widgets/TableColumns.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace {

/// The history column: one small cell per tick, coloured by the LB's view.
class HistoryDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const QVariantList states = index.data(LbModel::HistoryRole).toList();
        const QRect r = option.rect.adjusted(4, 5, -4, -5);
        const int cell = std::max(3, r.width() / LbModel::kHistory);
        int x = r.right() - cell * int(states.size());
        for (const QVariant &s : states) {
            painter->fillRect(
                QRect(x, r.top(), cell - 1, r.height()), StateColors::lbServer(HaproxyStats::ServerState(s.toInt())));
            x += cell;
        }
    }
    QSize sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const override
    {
        return {LbModel::kHistory * 5 + 8, 20};
    }
};

} // namespace

LoadBalancerPanel::LoadBalancerPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LbModel(this))
    , m_view(new QTableView(this))
    , m_headline(new QLabel(this))
    , m_drain(new QPushButton(tr("D&rain"), this))
    , m_disable(new QPushButton(tr("Di&sable"), this))
    , m_enable(new QPushButton(tr("E&nable"), this))
{
    setObjectName(QStringLiteral("loadBalancerPanel"));
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Backends"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    TableColumns::fit(m_view, LbModel::History);
    m_view->setItemDelegateForColumn(LbModel::History, new HistoryDelegate(m_view));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_drain->setToolTip(tr("Let the backend finish its sessions and take no new ones"));
    m_disable->setToolTip(tr("Take the backend out of the load balancer (maintenance)"));
    m_enable->setToolTip(tr("Put the backend back in rotation"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_headline, 1);
    buttons->addWidget(m_drain);
    buttons->addWidget(m_disable);
    buttons->addWidget(m_enable);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    connect(m_drain, &QPushButton::clicked, this, [this] { request(QStringLiteral("drain"), tr("Drain")); });
    connect(m_disable, &QPushButton::clicked, this, [this] { request(QStringLiteral("maint"), tr("Disable")); });
    connect(m_enable, &QPushButton::clicked, this, [this] { request(QStringLiteral("ready"), tr("Enable")); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LoadBalancerPanel::updateButtons);
    setWaiting();
}

void LoadBalancerPanel::setSnapshot(const LbSnapshot &snapshot)
{
    const QString selected = m_view->currentIndex().data(LbModel::NameRole).toString();
    m_model->setSnapshot(snapshot);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row, 0).data(LbModel::NameRole).toString() == selected)
            m_view->selectRow(row);
    }
    QString text = snapshot.frontend.isEmpty() ? tr("Load balancer %1").arg(snapshot.source)
        : snapshot.frontendReachable
        ? tr("Frontend %1 reachable (%2)").arg(snapshot.frontend, Format::millis(snapshot.frontendLatencyMs))
        : tr("Frontend %1 UNREACHABLE: %2").arg(snapshot.frontend, snapshot.frontendError);
    if (!snapshot.statsError.isEmpty())
        text += QLatin1Char('\n') + tr("The load balancer's own view is missing: %1").arg(snapshot.statsError);
    if (snapshot.hasDrift())
        text += QLatin1Char('\n') + tr("The load balancer disagrees with the cluster: see Drift.");
    m_headline->setText(text);
    updateButtons();
}

void LoadBalancerPanel::setUnavailable(const QString &why)
{
    m_model->clear();
    m_headline->setText(tr("No load balancer: %1").arg(why));
    updateButtons();
}

void LoadBalancerPanel::setWaiting()
{
    m_model->clear();
    m_headline->setText(tr("Waiting for the load balancer's first answer…"));
    updateButtons();
}

QString LoadBalancerPanel::headline() const
{
    return m_headline->text();
}

void LoadBalancerPanel::updateButtons()
{
    const bool selected = m_view->selectionModel()->hasSelection() && m_model->rowCount() > 0;
    for (QPushButton *b : {m_drain, m_disable, m_enable})
        b->setEnabled(selected);
}

void LoadBalancerPanel::request(const QString &state, const QString &verb)
{
    const QString backend = m_view->currentIndex().data(LbModel::NameRole).toString();
    if (backend.isEmpty())
        return;
    Confirm::ask(this, tr("%1 backend").arg(verb),
        tr("%1 backend %2 on the load balancer? Clients reach the cluster through it.").arg(verb, backend),
        [this, backend, state](bool yes) {
            if (yes)
                emit stateRequested(backend, state);
        });
}

void LoadBalancerPanel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (!session)
        return;
    if (session->lb())
        setWaiting();
    else
        setUnavailable(session->lbUnavailable());
    connect(session, &ConsoleSession::lbSnapshotReady, this, &LoadBalancerPanel::setSnapshot);
}

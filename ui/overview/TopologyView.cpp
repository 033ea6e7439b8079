#include "overview/TopologyView.h"
#include "session/ConsoleSession.h"

#include "common/MemberId.h"
#include "widgets/MemberColors.h"
#include "widgets/StateColors.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

TopologyView::TopologyView(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setMouseTracking(true);
    setToolTip(tr("Clients reach the members through the load balancer. The leader is outlined in gold; "
                  "learners are dashed; grey members do not answer."));
}

void TopologyView::setSnapshot(const ClusterSnapshot &snapshot)
{
    m_snapshot = snapshot;
    update();
}

QString TopologyView::badgeText() const
{
    if (!m_snapshot.isValid())
        return tr("connecting…");
    if (!m_snapshot.anyAnswered())
        return tr("no member answers");
    return m_snapshot.quorum().describe();
}

QRectF TopologyView::nodeRect(int index, int count) const
{
    const qreal margin = 16;
    const qreal top = height() * 0.52;
    const qreal w = std::min<qreal>(170, (width() - margin * 2) / std::max(count, 1) - 12);
    const qreal h = std::min<qreal>(118, height() - top - margin - networkBand());
    const qreal total = count * w + (count - 1) * 12;
    const qreal x0 = (width() - total) / 2;
    return QRectF(x0 + index * (w + 12), top, w, h);
}

void TopologyView::paintMember(QPainter &p, const QRectF &r, const MemberState &m) const
{
    const QPalette pal = palette();
    QColor fill = !m.reachable ? MemberColors::unreachable()
                               : (m.errors.isEmpty() ? MemberColors::healthy() : MemberColors::warning());
    fill.setAlpha(m.reachable ? 60 : 40);
    QPen border(m.role == MemberRole::Leader ? QColor(0xd4, 0xa0, 0x17) : pal.color(QPalette::Mid),
        m.role == MemberRole::Leader ? 4 : 1.5);
    if (m.isLearner)
        border.setStyle(Qt::DashLine);
    p.setPen(border);
    p.setBrush(fill);
    p.drawRoundedRect(r, 8, 8);

    // A strip in the member's own colour ties it to the elections timeline.
    p.setPen(Qt::NoPen);
    p.setBrush(MemberColors::of(m.id));
    p.drawRoundedRect(QRectF(r.left() + 6, r.top() + 6, 6, r.height() - 12), 3, 3);

    const QColor text
        = m.reachable ? pal.color(QPalette::WindowText) : pal.color(QPalette::Disabled, QPalette::WindowText);
    p.setPen(text);
    QFont f = font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    p.setFont(f);
    const QRectF inner = r.adjusted(18, 6, -6, -6);
    p.drawText(QRectF(inner.left(), inner.top(), inner.width(), 20), Qt::AlignLeft | Qt::AlignVCenter,
        m.name.isEmpty() ? MemberId::toHex(m.id).left(8) : m.name);
    p.setFont(font());
    QString role = memberRoleName(m.role);
    if (m.role == MemberRole::Leader)
        role = QStringLiteral("★ ") + tr("leader");
    p.drawText(QRectF(inner.left(), inner.top() + 22, inner.width(), 18), Qt::AlignLeft | Qt::AlignVCenter, role);
    const QString line3 = m.reachable ? tr("term %1").arg(m.term) : m.errors.value(0);
    p.drawText(QRectF(inner.left(), inner.top() + 40, inner.width(), 34), Qt::AlignLeft | Qt::TextWordWrap,
        p.fontMetrics().elidedText(line3, Qt::ElideRight, int(inner.width() * 2)));

    // Replication lag: full bar = 1000 entries or more behind.
    if (m.reachable && m.role != MemberRole::Leader) {
        const QRectF bar(inner.left(), inner.bottom() - 10, inner.width(), 6);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::Midlight));
        p.drawRoundedRect(bar, 3, 3);
        const qreal share = std::min<qreal>(1.0, m.lag / 1000.0);
        p.setBrush(share > 0.5 ? MemberColors::warning() : MemberColors::healthy());
        p.drawRoundedRect(QRectF(bar.left(), bar.top(), std::max<qreal>(3, bar.width() * share), bar.height()), 3, 3);
    }
}

void TopologyView::setNetwork(const QList<MemberNetwork> &network)
{
    m_network = network;
    update();
}

QString TopologyView::networkLabel(const QString &memberName) const
{
    for (const MemberNetwork &n : m_network) {
        if (n.member != memberName || !n.fault.any())
            continue;
        return n.fault.isolated ? tr("cut off") : n.fault.describe();
    }
    return {};
}

void TopologyView::paintPeerNetwork(QPainter &p) const
{
    const QList<MemberState> &members = m_snapshot.members();
    if (m_network.isEmpty() || members.isEmpty())
        return;
    const QPalette pal = palette();
    const QRectF first = nodeRect(0, int(members.size()));
    const QRectF last = nodeRect(int(members.size()) - 1, int(members.size()));
    const qreal lineY = first.bottom() + networkBand() - 12;
    p.setPen(QPen(pal.color(QPalette::Mid), 2));
    p.drawLine(QPointF(first.center().x() - 20, lineY), QPointF(last.center().x() + 20, lineY));
    p.setPen(pal.color(QPalette::Disabled, QPalette::WindowText));
    p.drawText(
        QRectF(first.center().x() - 150, lineY - 9, 124, 18), Qt::AlignRight | Qt::AlignVCenter, tr("peer network"));
    for (int i = 0; i < members.size(); ++i) {
        const QRectF r = nodeRect(i, int(members.size()));
        const QPointF from(r.center().x(), r.bottom());
        const QPointF to(r.center().x(), lineY);
        const QString label = networkLabel(members.at(i).name);
        const MemberNetwork *n = nullptr;
        for (const MemberNetwork &x : m_network) {
            if (x.member == members.at(i).name)
                n = &x;
        }
        if (!n || !n->fault.any()) {
            p.setPen(QPen(pal.color(QPalette::Mid), 2));
            p.drawLine(from, to);
            continue;
        }
        const QColor red(0xc0, 0x30, 0x30);
        const QColor amber(0xe6, 0x7e, 0x22);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        if (n->fault.isolated) {
            // Cut: two stubs with a gap and a cross between them.
            const qreal mid = (from.y() + to.y()) / 2;
            p.setPen(QPen(red, 2.5));
            p.drawLine(from, QPointF(from.x(), mid - 7));
            p.drawLine(QPointF(to.x(), mid + 7), to);
            p.drawLine(QPointF(from.x() - 5, mid - 4), QPointF(from.x() + 5, mid + 4));
            p.drawLine(QPointF(from.x() - 5, mid + 4), QPointF(from.x() + 5, mid - 4));
            p.setPen(red);
        } else {
            p.setPen(QPen(amber, 2.5, Qt::DashLine));
            p.drawLine(from, to);
            p.setPen(amber);
        }
        p.drawText(QRectF(from.x() + 8, from.y() + 2, r.width() / 2 + 40, to.y() - from.y() - 4),
            Qt::AlignLeft | Qt::AlignVCenter, label);
        p.setFont(font());
    }
}

void TopologyView::setLbSnapshot(const LbSnapshot &lb)
{
    m_lb = lb;
    update();
}

QString TopologyView::edgeState(const QString &memberName) const
{
    for (const LbBackend &b : m_lb.backends) {
        if (b.memberName == memberName && b.hasLbView)
            return HaproxyStats::stateName(b.lbState);
    }
    return {};
}

void TopologyView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));

    const QRectF clients(width() / 2.0 - 70, 14, 140, 36);
    const QRectF lb(width() / 2.0 - 90, height() * 0.26, 180, 40);
    p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
    p.setBrush(pal.color(QPalette::Window));
    p.drawRoundedRect(clients, 6, 6);
    p.drawRoundedRect(lb, 6, 6);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(clients, Qt::AlignCenter, tr("Clients"));
    p.drawText(lb, Qt::AlignCenter,
        m_lb.frontend.isEmpty() ? tr("Load balancer") : tr("Load balancer\n%1").arg(m_lb.frontend));
    p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
    p.drawLine(QPointF(clients.center().x(), clients.bottom()), QPointF(lb.center().x(), lb.top()));

    const QList<MemberState> &members = m_snapshot.members();
    for (int i = 0; i < members.size(); ++i) {
        const QRectF r = nodeRect(i, int(members.size()));
        const MemberState &m = members.at(i);
        QPen edge(m.reachable ? pal.color(QPalette::Mid) : MemberColors::unreachable(), 1.5);
        if (!m.reachable)
            edge.setStyle(Qt::DotLine);
        for (const LbBackend &b : m_lb.backends) {
            if (b.memberId != m.id || !b.hasLbView)
                continue;
            // The LB's own view decides the colour; disagreement with the member shows dashed.
            edge = QPen(StateColors::lbServer(b.lbState), 2.5);
            if (b.driftRoutesToUnhealthy || b.driftHoldsHealthyDown)
                edge = QPen(QColor(0xe6, 0x7e, 0x22), 2.5, Qt::DashLine);
        }
        p.setPen(edge);
        p.drawLine(QPointF(lb.center().x(), lb.bottom()), QPointF(r.center().x(), r.top()));
        paintMember(p, r, m);
    }

    paintPeerNetwork(p);

    // The badge: voters, quorum and fault tolerance in words.
    const QString badge = badgeText();
    QFont bf = font();
    bf.setBold(true);
    p.setFont(bf);
    const QRectF badgeRect(12, 12, p.fontMetrics().horizontalAdvance(badge) + 24, 28);
    const bool ok = m_snapshot.hasQuorum();
    QColor badgeColor = ok
        ? (m_snapshot.quorum().faultTolerance > 0 ? MemberColors::healthy() : MemberColors::warning())
        : QColor(0xc0, 0x30, 0x30);
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor);
    p.drawRoundedRect(badgeRect, 14, 14);
    p.setPen(Qt::white);
    p.drawText(badgeRect, Qt::AlignCenter, badge);
}

bool TopologyView::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(e);
        const QList<MemberState> &members = m_snapshot.members();
        for (int i = 0; i < members.size(); ++i) {
            if (nodeRect(i, int(members.size())).contains(help->pos())) {
                const MemberState &m = members.at(i);
                QToolTip::showText(help->globalPos(),
                    tr("%1 (%2)\n%3\nterm %4 · applied %5 · lag %6\n%7")
                        .arg(m.displayName(), MemberId::toHex(m.id), memberRoleName(m.role))
                        .arg(m.term)
                        .arg(m.appliedIndex)
                        .arg(m.lag)
                        .arg(m.reachable ? m.clientUrls.join(QStringLiteral(", ")) : m.errors.value(0)),
                    this);
                return true;
            }
        }
    }
    return QWidget::event(e);
}

void TopologyView::setSession(ConsoleSession *session)
{
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        if (m_session->network())
            disconnect(m_session->network(), nullptr, this, nullptr);
    }
    m_session = session;
    setLbSnapshot({});
    setNetwork({});
    if (!session)
        return;
    connect(session, &ConsoleSession::snapshotReady, this, &TopologyView::setSnapshot);
    connect(session, &ConsoleSession::lbSnapshotReady, this, &TopologyView::setLbSnapshot);
    if (NetworkWatch *network = session->network())
        connect(network, &NetworkWatch::changed, this, [this, network] { setNetwork(network->state()); });
}

#include "overview/TopologyView.h"
#include "session/ConsoleSession.h"
#include "session/ControlPlaneSession.h"
#include "session/StorageSession.h"

#include "common/Format.h"
#include "common/MemberId.h"
#include "widgets/MemberPalette.h"
#include "widgets/StateColors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStaticText>
#include <QToolTip>

TopologyView::TopologyView(QWidget *parent)
    : QWidget(parent)
{
    // paintEvent fills every pixel: the window's background need not be painted beneath.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setToolTip(tr("Clients reach the members through the load balancer. The leader is outlined in gold; "
                  "learners are dashed; grey members do not answer."));
}

void TopologyView::setSnapshot(const ClusterSnapshot &snapshot)
{
    m_snapshot = snapshot;
    // A snapshot comes every tick, and most say what the drawing already shows: repainting
    // it anyway was a quarter of the idle window's work (perf), text laid out again each time.
    QStringList drawn = drawnState();
    if (drawn == m_drawn)
        return;
    m_drawn = std::move(drawn);
    update();
}

QStringList TopologyView::drawnState() const
{
    QStringList out {
        badgeText(), QString::number(m_snapshot.hasQuorum()), QString::number(m_snapshot.quorum().faultTolerance)};
    for (const MemberState &m : m_snapshot.members())
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 ")
                    .arg(MemberId::toHex(m.id), m.name)
                    .arg(int(m.role))
                    .arg(m.reachable)
                    .arg(m.isLearner)
                    .arg(m.lag)
                + memberLines(m).join(QLatin1Char('\n'));
    return out;
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
    const qreal top = height() * (hasApiLayer() ? 0.56 : 0.44);
    const qreal w = std::min<qreal>(200, (width() - margin * 2) / std::max(count, 1) - 12);
    const qreal h = std::min<qreal>(fontMetrics().height() * 7 + 26, height() - top - margin - networkBand());
    const qreal total = count * w + (count - 1) * 12;
    const qreal x0 = (width() - total) / 2;
    return QRectF(x0 + index * (w + 12), top, w, h);
}

QStringList TopologyView::memberLines(const MemberState &m) const
{
    // What decides an operator's next move, most important first; a short box drops lines
    // from the end.
    QStringList lines;
    if (!m.reachable) {
        lines << tr("unreachable");
        if (!m.errors.isEmpty())
            lines << m.errors.constFirst();
        return lines;
    }
    const QString role = m.role == MemberRole::Leader ? QStringLiteral("★ ") + tr("leader") : memberRoleName(m.role);
    lines << tr("%1 · %2").arg(
        role, m.errors.isEmpty() ? tr("healthy") : Format::count(m.errors.size(), tr("problem"), tr("problems")));
    lines << tr("etcd %1 · term %2").arg(m.version.isEmpty() ? QStringLiteral("?") : m.version).arg(m.term);
    lines << (m.role == MemberRole::Leader ? tr("index %1").arg(m.raftIndex)
                                           : tr("index %1 · lag %2").arg(m.raftIndex).arg(m.lag));
    const qint64 quota = m_quotas.value(m.id);
    lines << (quota > 0 ? tr("DB %1 of %2").arg(Format::bytes(m.dbSize), Format::bytes(quota))
                        : tr("DB %1").arg(Format::bytes(m.dbSize)));
    if (!m.errors.isEmpty())
        lines << m.errors.constLast();
    return lines;
}

QStringList TopologyView::memberText(const QString &name) const
{
    const MemberState *m = m_snapshot.findMember(name);
    return m ? memberLines(*m) : QStringList();
}

void TopologyView::paintMember(QPainter &p, const QRectF &r, const MemberState &m) const
{
    const QPalette pal = palette();
    QColor fill
        = !m.reachable ? StateColors::idle() : (m.errors.isEmpty() ? StateColors::good() : StateColors::warning());
    fill.setAlpha(m.reachable ? 45 : 35);
    QPen border(m.role == MemberRole::Leader ? QColor(0xd4, 0xa0, 0x17) : pal.color(QPalette::Mid),
        m.role == MemberRole::Leader ? 4 : 1.5);
    if (m.isLearner)
        border.setStyle(Qt::DashLine);
    p.setPen(border);
    p.setBrush(fill);
    p.drawRoundedRect(r, 8, 8);
    if (m.id == m_selected) {
        // The selection, as in the members table: a focus ring inside the border.
        p.setPen(QPen(pal.color(QPalette::Highlight), 2, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(5, 5, -5, -5), 5, 5);
    }

    // A strip in the member's own colour ties it to the charts, the timeline and the logs.
    p.setPen(Qt::NoPen);
    p.setBrush(MemberPalette::shared().of(m.id));
    p.drawRoundedRect(QRectF(r.left() + 8, r.top() + 8, 6, r.height() - 16), 3, 3);

    const QColor text
        = m.reachable ? pal.color(QPalette::WindowText) : pal.color(QPalette::Disabled, QPalette::WindowText);
    const QRectF inner = r.adjusted(20, 6, -8, -6);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(text);
    const QFontMetricsF boldMetrics(bold);
    // The name identifies the member: never elided (the box is as wide as the name needs).
    p.drawText(QRectF(inner.left(), inner.top(), inner.width(), boldMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        m.name.isEmpty() ? MemberId::toHex(m.id) : m.name);
    p.setFont(font());
    const QFontMetricsF fm(font());
    const qreal lineHeight = fm.height();
    qreal y = inner.top() + boldMetrics.height() + 2;
    const bool lagBar = m.reachable && m.role != MemberRole::Leader;
    const qreal bottom = inner.bottom() - (lagBar ? 10 : 0);
    const QStringList lines = memberLines(m);
    for (int i = 0; i < lines.size(); ++i) {
        const bool last = i == lines.size() - 1;
        const bool error = !m.reachable ? i == 1 : (!m.errors.isEmpty() && last);
        // An error takes what room is left, wrapped; the tooltip holds all of it.
        const qreal room = bottom - y;
        if (room < lineHeight)
            break;
        const qreal h = error ? std::floor(room / lineHeight) * lineHeight : lineHeight;
        const QRectF box(inner.left(), y, inner.width(), h);
        QString line = lines.at(i);
        if (error) {
            const int maxLines = int(h / lineHeight);
            // Elide to what the box holds when wrapped: width × lines, less a margin per line.
            line = fm.elidedText(line, Qt::ElideRight, inner.width() * maxLines - 12 * maxLines);
            p.setPen(m.reachable ? QColor(0xb0, 0x5a, 0x00) : text);
            p.drawText(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, line);
            p.setPen(text);
            y += h;
            continue;
        }
        p.drawStaticText(QPointF(inner.left(), y), lineText(line, inner.width()));
        y += lineHeight;
    }

    // Replication lag: full bar = 1000 entries or more behind.
    if (lagBar) {
        const QRectF bar(inner.left(), inner.bottom() - 6, inner.width(), 6);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::Midlight));
        p.drawRoundedRect(bar, 3, 3);
        const qreal share = std::min<qreal>(1.0, m.lag / 1000.0);
        p.setBrush(share > 0.5 ? StateColors::warning() : StateColors::good());
        p.drawRoundedRect(QRectF(bar.left(), bar.top(), std::max<qreal>(3, bar.width() * share), bar.height()), 3, 3);
    }
}

const QStaticText &TopologyView::lineText(const QString &line, qreal width) const
{
    // Most lines read the same from one tick to the next (role, version, size): laid out
    // once and kept, only a line that changed (the raft index) is laid out again.
    const QString key = QString::number(int(width)) + QLatin1Char(' ') + line;
    auto it = m_lineTexts.find(key);
    if (it != m_lineTexts.end())
        return *it;
    if (m_lineTexts.size() > 256)
        m_lineTexts.clear(); // old indexes and sizes: a bounded cache, emptied at once
    QStaticText text(QFontMetricsF(font()).elidedText(line, Qt::ElideRight, width));
    text.setTextFormat(Qt::PlainText);
    text.prepare(QTransform(), font());
    return *m_lineTexts.insert(key, text);
}

void TopologyView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        m_lineTexts.clear();
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
    // What is drawn of the load balancer: its address and each backend's edge.
    const auto drawn = [](const LbSnapshot &l) {
        QStringList out {l.frontend};
        for (const LbBackend &b : l.backends)
            out << QStringLiteral("%1 %2 %3 %4 %5 %6")
                       .arg(b.memberId)
                       .arg(b.memberName)
                       .arg(b.hasLbView)
                       .arg(int(b.lbState))
                       .arg(b.driftRoutesToUnhealthy)
                       .arg(b.driftHoldsHealthyDown);
        return out;
    };
    const bool changed = drawn(lb) != drawn(m_lb);
    m_lb = lb;
    if (changed)
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

void TopologyView::setControlPlane(const ControlPlaneReport &report)
{
    const bool before = hasApiLayer();
    m_apiServers.clear();
    m_apiViaLb.reset();
    for (const ApiServerState &a : report.apiServers) {
        if (a.viaLoadBalancer)
            m_apiViaLb = a;
        else
            m_apiServers << a;
    }
    if (before != hasApiLayer())
        updateGeometry();
    update();
}

QStringList TopologyView::apiServersDrawn() const
{
    QStringList out;
    for (const ApiServerState &a : m_apiServers)
        out << QStringLiteral("%1 %2").arg(
            a.address, a.isReady() ? QStringLiteral("ready") : QStringLiteral("not ready"));
    return out;
}

QRectF TopologyView::apiServerRect(int index, int count) const
{
    const qreal w = std::min<qreal>(150, (width() - 32) / std::max(count, 1) - 12);
    const qreal total = count * w + (count - 1) * 12;
    return QRectF((width() - total) / 2 + index * (w + 12), height() * 0.25, w, 40);
}

QRectF TopologyView::etcdLbRect() const
{
    return hasApiLayer() ? QRectF(width() / 2.0 - 90, height() * 0.42, 180, 40)
                         : QRectF(width() / 2.0 - 90, height() * 0.26, 180, 40);
}

void TopologyView::paintApiLayer(QPainter &p, const QRectF &clients) const
{
    const QPalette pal = palette();
    // The API's load balancer: the kubeconfig's server.
    const QRectF apiLb(width() / 2.0 - 90, height() * 0.12, 180, 34);
    const bool lbReady = m_apiViaLb && m_apiViaLb->isReady();
    p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
    p.drawLine(QPointF(clients.center().x(), clients.bottom()), QPointF(apiLb.center().x(), apiLb.top()));
    p.setPen(QPen(m_apiViaLb ? (lbReady ? StateColors::good() : StateColors::bad()) : pal.color(QPalette::Mid), 1.5));
    p.setBrush(pal.color(QPalette::Window));
    p.drawRoundedRect(apiLb, 6, 6);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(apiLb, Qt::AlignCenter,
        m_apiViaLb ? tr("API load balancer\n%1").arg(m_apiViaLb->address) : tr("API load balancer"));

    const QRectF etcdLb = etcdLbRect();
    const int n = int(m_apiServers.size());
    for (int i = 0; i < n; ++i) {
        const ApiServerState &a = m_apiServers.at(i);
        const QRectF r = apiServerRect(i, n);
        // HAProxy's view of it, when known, colours the edge; drift is dashed orange.
        QPen edge(pal.color(QPalette::Mid), 1.5);
        if (!a.lbStatus.isEmpty())
            edge = QPen(a.lbStatus == QLatin1String("UP") ? StateColors::good() : StateColors::idle(), 2);
        if (!a.drift.isEmpty())
            edge = QPen(QColor(0xe6, 0x7e, 0x22), 2.5, Qt::DashLine);
        p.setPen(edge);
        p.drawLine(QPointF(apiLb.center().x(), apiLb.bottom()), QPointF(r.center().x(), r.top()));
        // Every API server is a client of etcd, through etcd's load balancer when there is one.
        p.setPen(QPen(pal.color(QPalette::Mid), 1.2, Qt::DotLine));
        p.drawLine(QPointF(r.center().x(), r.bottom()), QPointF(etcdLb.center().x(), etcdLb.top()));
        QColor fill = a.isReady() ? StateColors::good() : StateColors::bad();
        fill.setAlpha(50);
        p.setPen(QPen(a.isReady() ? pal.color(QPalette::Mid) : StateColors::bad(), 1.5));
        p.setBrush(fill);
        p.drawRoundedRect(r, 6, 6);
        p.setPen(pal.color(QPalette::WindowText));
        const QString state = !a.error.isEmpty() ? tr("no answer") : a.isReady() ? a.version : tr("not ready");
        p.drawText(r.adjusted(4, 2, -4, -2), Qt::AlignCenter,
            p.fontMetrics().elidedText(a.address, Qt::ElideMiddle, int(r.width()) - 8) + QLatin1Char('\n') + state);
    }
}

void TopologyView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));

    const QRectF clients(width() / 2.0 - 70, hasApiLayer() ? 8 : 14, 140, hasApiLayer() ? 28 : 36);
    const QRectF lb = etcdLbRect();
    p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
    p.setBrush(pal.color(QPalette::Window));
    p.drawRoundedRect(clients, 6, 6);
    p.drawRoundedRect(lb, 6, 6);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(clients, Qt::AlignCenter, tr("Clients"));
    const QString etcdLb = hasApiLayer() ? tr("etcd's load balancer") : tr("Load balancer");
    p.drawText(
        lb, Qt::AlignCenter, m_lb.frontend.isEmpty() ? etcdLb : QStringLiteral("%1\n%2").arg(etcdLb, m_lb.frontend));
    if (hasApiLayer()) {
        paintApiLayer(p, clients);
    } else {
        p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
        p.drawLine(QPointF(clients.center().x(), clients.bottom()), QPointF(lb.center().x(), lb.top()));
    }

    const QList<MemberState> &members = m_snapshot.members();
    for (int i = 0; i < members.size(); ++i) {
        const QRectF r = nodeRect(i, int(members.size()));
        const MemberState &m = members.at(i);
        QPen edge(m.reachable ? pal.color(QPalette::Mid) : StateColors::idle(), 1.5);
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
    QColor badgeColor = ok ? (m_snapshot.quorum().faultTolerance > 0 ? StateColors::good() : StateColors::warning())
                           : QColor(0xc0, 0x30, 0x30);
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor);
    p.drawRoundedRect(badgeRect, 14, 14);
    p.setPen(Qt::white);
    p.drawText(badgeRect, Qt::AlignCenter, badge);
}

QRectF TopologyView::memberBox(const QString &name) const
{
    const QList<MemberState> &members = m_snapshot.members();
    for (int i = 0; i < members.size(); ++i) {
        if (members.at(i).name == name)
            return nodeRect(i, int(members.size()));
    }
    return {};
}

void TopologyView::setSelectedMember(uint64_t id)
{
    if (id != m_selected) {
        m_selected = id;
        update();
    }
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    const QList<MemberState> &members = m_snapshot.members();
    for (int i = 0; i < members.size(); ++i) {
        if (nodeRect(i, int(members.size())).contains(event->position())) {
            setSelectedMember(members.at(i).id);
            emit memberClicked(members.at(i).id);
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

bool TopologyView::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(e);
        const QList<MemberState> &members = m_snapshot.members();
        for (int i = 0; i < m_apiServers.size(); ++i) {
            if (apiServerRect(i, int(m_apiServers.size())).contains(help->pos())) {
                const ApiServerState &a = m_apiServers.at(i);
                QStringList lines {tr("API server %1").arg(a.address)};
                lines << (!a.error.isEmpty() ? a.error
                        : a.isReady()        ? tr("live and ready, %1, %2 ms").arg(a.version).arg(a.responseMs)
                                             : a.ready.describe(tr("ready")));
                if (!a.lbStatus.isEmpty())
                    lines << tr("HAProxy: %1")
                                 .arg(
                                     a.lbServer.isEmpty() ? a.lbStatus : a.lbServer + QStringLiteral(" ") + a.lbStatus);
                if (!a.drift.isEmpty())
                    lines << tr("Drift: %1").arg(a.drift);
                QToolTip::showText(help->globalPos(), lines.join(QLatin1Char('\n')), this);
                return true;
            }
        }
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
        disconnect(m_session->storage(), nullptr, this, nullptr);
        disconnect(m_session->controlPlane(), nullptr, this, nullptr);
        if (m_session->network())
            disconnect(m_session->network(), nullptr, this, nullptr);
    }
    m_session = session;
    setLbSnapshot({});
    setNetwork({});
    setControlPlane({});
    if (!session)
        return;
    ControlPlaneSession *plane = session->controlPlane();
    connect(plane, &ControlPlaneSession::reportReady, this, &TopologyView::setControlPlane);
    if (plane->hasReport())
        setControlPlane(plane->last());
    connect(session, &ConsoleSession::snapshotReady, this, &TopologyView::setSnapshot);
    connect(session, &ConsoleSession::lbSnapshotReady, this, &TopologyView::setLbSnapshot);
    m_quotas.clear();
    connect(session->storage(), &StorageSession::storageReady, this, [this](const QList<MemberStorage> &storage) {
        const QHash<uint64_t, qint64> before = m_quotas;
        for (const MemberStorage &m : storage) {
            if (m.quota > 0)
                m_quotas.insert(m.id, m.quota);
        }
        if (m_quotas != before)
            update();
    });
    if (NetworkWatch *network = session->network())
        connect(network, &NetworkWatch::changed, this, [this, network] { setNetwork(network->state()); });
}

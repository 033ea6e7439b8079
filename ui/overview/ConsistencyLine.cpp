#include "overview/ConsistencyLine.h"

#include "session/ConsistencySession.h"
#include "session/ConsoleSession.h"
#include "widgets/StateColors.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace {

QString ago(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return ConsistencyLine::tr("just now");
    if (s < 3600)
        return ConsistencyLine::tr("%1 min ago").arg(s / 60);
    return ConsistencyLine::tr("%1 h %2 min ago").arg(s / 3600).arg(s % 3600 / 60);
}

} // namespace

ConsistencyLine::ConsistencyLine(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_check(new QPushButton(tr("Check consistency"), this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setWordWrap(true);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_check);
    m_check->setToolTip(tr("Hash every voting member's keyspace at one revision and compare (Ctrl+Shift+H)"));
    m_check->setShortcut(QKeySequence(tr("Ctrl+Shift+H")));
    connect(m_check, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->consistency()->checkNow();
    });
    // "4 min ago" must age while nothing else changes.
    m_ageTimer.setInterval(30000);
    connect(&m_ageTimer, &QTimer::timeout, this, &ConsistencyLine::refresh);
    refresh();
}

void ConsistencyLine::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session->consistency(), nullptr, this, nullptr);
    m_session = session;
    if (session) {
        connect(session->consistency(), &ConsistencySession::checkStarted, this, &ConsistencyLine::refresh);
        connect(session->consistency(), &ConsistencySession::reportReady, this, &ConsistencyLine::refresh);
        m_ageTimer.start();
    } else {
        m_ageTimer.stop();
    }
    refresh();
}

QString ConsistencyLine::text() const
{
    return m_label->text();
}

QString ConsistencyLine::describe(const ConsistencyReport &report, qint64 nowMs)
{
    const QString when = ago(nowMs - report.checkedAtMs);
    switch (report.verdict) {
    case ConsistencyReport::Verdict::Consistent:
        return tr("Data: consistent at revision %1, %2").arg(report.revision).arg(when);
    case ConsistencyReport::Verdict::Divergent:
        return tr("Data: %1 diverges at revision %2 (%3)")
            .arg(report.divergentNames().join(QStringLiteral(", ")))
            .arg(report.revision)
            .arg(when);
    case ConsistencyReport::Verdict::Undecided:
        break;
    }
    return tr("Data: no verdict (checked %1): %2").arg(when, report.sentence);
}

void ConsistencyLine::refresh()
{
    const ConsistencySession *c = m_session ? m_session->consistency() : nullptr;
    m_check->setEnabled(c && !c->isChecking());
    QColor colour = palette().color(QPalette::WindowText);
    QString text;
    if (!c) {
        text = tr("Data: not connected");
    } else if (c->isChecking()) {
        text = tr("Data: hashing every voting member's keyspace…");
    } else if (!c->last()) {
        text = tr("Data: not checked yet");
    } else {
        const ConsistencyReport &r = *c->last();
        text = describe(r, QDateTime::currentMSecsSinceEpoch());
        if (r.verdict == ConsistencyReport::Verdict::Divergent)
            colour = StateColors::bad();
        m_label->setToolTip(r.sentence);
    }
    m_label->setText(text);
    QPalette p = m_label->palette();
    p.setColor(QPalette::WindowText, colour);
    m_label->setPalette(p);
}

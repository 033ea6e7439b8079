#include "widgets/OperationProgress.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>
#include <algorithm>

OperationProgress::OperationProgress(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_stop(new QToolButton(this))
    , m_lag(this)
{
    setObjectName(QStringLiteral("operationProgress"));
    m_bar->setObjectName(QStringLiteral("operationBar"));
    m_bar->setMaximumWidth(140);
    m_bar->setTextVisible(true);
    m_stop->setObjectName(QStringLiteral("stopOperation"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop the operation here: offered only while nothing would be left half done"));
    m_stop->setAccessibleName(tr("Stop the operation"));
    m_stop->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_bar);
    layout->addWidget(m_stop);
    connect(m_stop, &QToolButton::clicked, this, [this] {
        // Asked once: the operation stops at its next safe point.
        m_stop->setEnabled(false);
        m_bar->setFormat(tr("Stopping…"));
        emit stopRequested();
    });
    hide();
}

void OperationProgress::setBusy(bool busy)
{
    if (busy) {
        m_bar->setRange(0, 0); // moving until a step is known
        m_bar->setFormat(QString());
        m_bar->setToolTip(tr("An operation is running"));
        m_stop->setEnabled(false);
        m_stop->hide();
        m_lag.setPhase(tr("starting"));
        m_lag.start();
        show();
        return;
    }
    if (m_lag.isRunning()) {
        m_lastFigures = m_lag.figures();
        m_lag.stop();
    }
    hide();
}

void OperationProgress::setStep(const QString &sentence, int index, int count, bool stoppable)
{
    if (count > 0) {
        m_bar->setRange(0, count);
        m_bar->setValue(index);
        m_bar->setFormat(tr("step %1 of %2").arg(index + 1).arg(count));
    }
    showSentence(sentence);
    m_stop->setVisible(true);
    m_stop->setEnabled(stoppable);
}

void OperationProgress::setAmount(const QString &sentence, qint64 done, qint64 total)
{
    if (total > 0) {
        // A bar holds an int: the fraction in thousandths reads the same.
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000 * std::clamp<double>(double(done) / double(total), 0, 1)));
        m_bar->setFormat(QStringLiteral("%p %"));
    } else {
        m_bar->setRange(0, 0);
    }
    showSentence(sentence);
    m_stop->hide();
}

EventLoopLag::Figures OperationProgress::figures() const
{
    return m_lag.isRunning() ? m_lag.figures() : m_lastFigures;
}

void OperationProgress::showSentence(const QString &sentence)
{
    m_lag.setPhase(sentence);
    // The running longest, not figures(): those sort every sample, at each step.
    m_bar->setToolTip(
        tr("%1\nThe window's longest stall so far: %2 ms").arg(sentence).arg(m_lag.longestMs(), 0, 'f', 1));
}

#include "metrics/MetricsDashboard.h"

#include "metrics/DashboardFrame.h"
#include "metrics/DashboardHistory.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricExplorer.h"
#include "scrape/MetricsCollector.h"
#include "scrape/ScrapeTarget.h"
#include "session/ConsoleSession.h"
#include "session/PrometheusHistory.h"
#include "tsdb/SharedSeriesStore.h"
#include "widgets/MemberPalette.h"
#include "widgets/StateColors.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

constexpr qint64 kMinute = 60 * 1000;
const Qt::PenStyle kStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};

QString formatter(EtcdDashboard::Unit unit, double v)
{
    return QString::fromStdString(EtcdDashboard::format(unit, v));
}

} // namespace

MetricsDashboard::MetricsDashboard(QWidget *parent)
    : QWidget(parent)
    , m_explorer(new MetricExplorer(this))
    , m_range(new QComboBox(this))
    , m_pause(new QToolButton(this))
    , m_scroll(new QScrollBar(Qt::Horizontal, this))
    , m_status(new QLabel(this))
    , m_timer(new QTimer(this))
    , m_watcher(new QFutureWatcher<DashboardFrame>(this))
    , m_history(new DashboardHistory(this))
{
    connect(m_history, &DashboardHistory::answered, this, [this] {
        if (!m_history->explorerError().isEmpty())
            m_explorer->setRemoteError(m_history->explorerError());
        if (m_lastFrame)
            applyFrame(*m_lastFrame);
    });
    setObjectName(QStringLiteral("metricsDashboard"));
    auto *grid = new QWidget;
    auto *gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(4, 4, 4, 4);
    gridLayout->setSpacing(6);
    int i = 0;
    for (const EtcdDashboard::Panel &spec : EtcdDashboard::panels()) {
        auto *panel = new DashboardPanel(QString::fromStdString(spec.id), QString::fromStdString(spec.title), grid);
        panel->setMinimumHeight(190);
        TimeSeriesChart *chart = panel->chart();
        const EtcdDashboard::Unit unit = spec.unit;
        chart->setFormatter([unit](double v) { return formatter(unit, v); });
        chart->setEmptyText(tr("No data yet."));
        if (unit == EtcdDashboard::Unit::Boolean)
            chart->setFixedValueRange(0, 1.15, 1); // yes/no, with room above the line
        connect(chart, &TimeSeriesChart::hovered, this, &MetricsDashboard::setHoverTime);
        connect(chart, &TimeSeriesChart::hoverLeft, this, [this] { setHoverTime(0); });
        connect(chart, &TimeSeriesChart::markerActivated, this, &MetricsDashboard::markerActivated);
        gridLayout->addWidget(panel, i / 2, i % 2);
        m_panels.append(panel);
        ++i;
    }
    auto *scrollArea = new QScrollArea(this);
    scrollArea->setAccessibleName(tr("Charts"));
    scrollArea->setWidget(grid);
    scrollArea->setWidgetResizable(true);
    scrollArea->setFrameShape(QFrame::NoFrame);

    connect(m_explorer->chart(), &TimeSeriesChart::hovered, this, &MetricsDashboard::setHoverTime);
    connect(m_explorer->chart(), &TimeSeriesChart::hoverLeft, this, [this] { setHoverTime(0); });
    connect(m_explorer, &MetricExplorer::selectionChanged, this, &MetricsDashboard::refresh);
    connect(m_explorer, &MetricExplorer::sourceChanged, this, &MetricsDashboard::readRemoteNames);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("dashboardSplit"));
    split->addWidget(scrollArea);
    split->addWidget(m_explorer);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    m_explorer->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    buildToolbar();
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_range);
    bar->addWidget(m_pause);
    bar->addWidget(m_scroll, 1);
    auto *explorerButton = new QToolButton(this);
    explorerButton->setObjectName(QStringLiteral("explorerToggle"));
    explorerButton->setText(tr("Metric e&xplorer"));
    explorerButton->setCheckable(true);
    connect(explorerButton, &QToolButton::toggled, this, [this](bool on) {
        m_explorer->setVisible(on);
        refresh();
    });
    bar->addWidget(explorerButton);
    layout->addLayout(bar);
    m_status->setContentsMargins(6, 0, 6, 0);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_timer, &QTimer::timeout, this, &MetricsDashboard::refresh);
    connect(m_watcher, &QFutureWatcher<DashboardFrame>::finished, this, [this] {
        // A frame of the store this dashboard read before: not drawn.
        if (m_evaluatedStore == m_storeGeneration)
            applyFrame(m_watcher->result());
        else
            m_pending = true;
        if (m_pending) {
            m_pending = false;
            refresh();
        }
    });
    m_status->setText(tr("Waiting for the first scrape…"));
}

MetricsDashboard::~MetricsDashboard()
{
    // The evaluation holds the store itself; nothing here must outlive the widget.
    m_watcher->disconnect(this);
}

void MetricsDashboard::buildToolbar()
{
    m_range->setObjectName(QStringLiteral("dashboardRange"));
    m_range->addItem(tr("Live: last 5 min"), 5 * kMinute);
    m_range->addItem(tr("Last 15 min"), 15 * kMinute);
    m_range->addItem(tr("Last hour"), 60 * kMinute);
    m_range->addItem(tr("Last 6 hours"), 360 * kMinute);
    m_range->addItem(tr("Custom…"), 0);
    connect(m_range, &QComboBox::activated, this, [this](int index) {
        const qint64 span = m_range->itemData(index).toLongLong();
        if (span > 0)
            setSpan(span);
        else
            chooseCustomRange();
    });

    m_pause->setObjectName(QStringLiteral("dashboardPause"));
    m_pause->setCheckable(true);
    m_pause->setText(tr("&Pause"));
    m_pause->setToolTip(tr("Freeze the charts to look back (Space); scrolling back pauses too"));
    connect(m_pause, &QToolButton::toggled, this, &MetricsDashboard::setPaused);
    auto *pauseAction = new QAction(this);
    pauseAction->setShortcut(Qt::Key_Space);
    pauseAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(pauseAction, &QAction::triggered, m_pause, &QToolButton::toggle);
    addAction(pauseAction);

    m_scroll->setObjectName(QStringLiteral("dashboardScroll"));
    m_scroll->setToolTip(tr("Scroll back through the retained history"));
    m_scroll->setRange(0, 0);
    connect(m_scroll, &QScrollBar::valueChanged, this, [this](int value) {
        if (m_scroll->signalsBlocked())
            return;
        const qint64 end = scrollOldestMs() + m_spanMs + qint64(value) * 1000;
        if (!m_paused && value >= m_scroll->maximum())
            return;
        m_pausedEndMs = std::min(end, QDateTime::currentMSecsSinceEpoch());
        if (!m_paused)
            setPaused(true);
        refresh();
    });
}

void MetricsDashboard::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    setCollector(session ? session->metrics() : nullptr);
    if (session)
        connect(session, &ConsoleSession::prometheusChanged, this, &MetricsDashboard::useHistory);
    useHistory();
}

void MetricsDashboard::useHistory()
{
    PrometheusHistory *history = m_session ? m_session->history() : nullptr;
    m_history->setSource(history);
    m_explorer->clearRemote();
    disconnect(m_historyConfigured);
    if (history) {
        m_historyConfigured = connect(history, &PrometheusHistory::configured, this, [this] {
            updatePresets();
            readRemoteNames();
            refresh();
        });
    }
    updatePresets();
    refresh();
}

void MetricsDashboard::setCollector(MetricsCollector *collector)
{
    setStore(collector ? collector->store() : nullptr);
}

void MetricsDashboard::setStore(std::shared_ptr<const SharedSeriesStore> store)
{
    m_store = std::move(store);
    ++m_storeGeneration;
    m_oldestMs = 0;
    m_lastFrame.reset();
    m_seriesGeneration = UINT64_MAX; // list the new store's series
    for (DashboardPanel *panel : std::as_const(m_panels))
        panel->chart()->setLines({});
    refresh();
}

void MetricsDashboard::setElections(const QList<ClusterEvent> &events, const QHash<uint64_t, QString> &names)
{
    m_markers.clear();
    for (const ClusterEvent &e : events) {
        if (e.type == ClusterEvent::Type::LeaderChanged)
            m_markers.append({e.timeMs, tr("term %1: %2 leads").arg(e.term).arg(names.value(e.to))});
        else if (e.type == ClusterEvent::Type::LeaderLost)
            m_markers.append({e.timeMs, tr("leader lost")});
    }
    for (DashboardPanel *panel : std::as_const(m_panels))
        panel->chart()->setMarkers(m_markers);
    m_explorer->chart()->setMarkers(m_markers);
}

void MetricsDashboard::markTime(qint64 ms)
{
    m_markedMs = ms;
    for (DashboardPanel *panel : std::as_const(m_panels))
        panel->chart()->setMarkedTime(ms);
    m_explorer->chart()->setMarkedTime(ms);
    // Bring the moment into view when it is outside the window.
    if (ms > 0 && (ms < windowFrom() || ms > windowTo())) {
        m_pausedEndMs = std::min(ms + m_spanMs / 2, QDateTime::currentMSecsSinceEpoch());
        setPaused(true);
    }
}

void MetricsDashboard::setSpan(qint64 spanMs)
{
    m_spanMs = std::max<qint64>(spanMs, kMinute / 6);
    for (int i = 0; i < m_range->count(); ++i) {
        if (m_range->itemData(i).toLongLong() == m_spanMs)
            m_range->setCurrentIndex(i);
    }
    refresh();
}

void MetricsDashboard::setCustomRange(qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return;
    m_spanMs = toMs - fromMs;
    m_pausedEndMs = toMs;
    m_range->setCurrentIndex(m_range->count() - 1);
    setPaused(true);
    refresh();
}

void MetricsDashboard::chooseCustomRange()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Custom time range"));
    auto *from = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(windowFrom()), &dialog);
    auto *to = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(windowTo()), &dialog);
    for (QDateTimeEdit *edit : {from, to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("&From:"), from);
    form->addRow(tr("&To:"), to);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        if (to->dateTime() > from->dateTime())
            dialog.accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        setCustomRange(from->dateTime().toMSecsSinceEpoch(), to->dateTime().toMSecsSinceEpoch());
    else
        setSpan(m_spanMs);
}

void MetricsDashboard::setPaused(bool paused)
{
    if (paused && !m_paused && m_pausedEndMs == 0)
        m_pausedEndMs = QDateTime::currentMSecsSinceEpoch();
    m_paused = paused;
    if (!paused)
        m_pausedEndMs = 0;
    {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(paused);
    }
    m_pause->setText(paused ? tr("Resume &live") : tr("&Pause"));
    refresh();
}

qint64 MetricsDashboard::windowTo() const
{
    return m_paused && m_pausedEndMs > 0 ? m_pausedEndMs : QDateTime::currentMSecsSinceEpoch();
}

qint64 MetricsDashboard::windowFrom() const
{
    return windowTo() - m_spanMs;
}

DashboardPanel *MetricsDashboard::panel(const QString &id) const
{
    for (DashboardPanel *p : m_panels) {
        if (p->id() == id)
            return p;
    }
    return nullptr;
}

void MetricsDashboard::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void MetricsDashboard::refresh()
{
    if (!m_store)
        return;
    if (m_watcher->isRunning()) {
        m_pending = true;
        return;
    }
    PanelQuery::Window window;
    window.toMs = windowTo();
    window.fromMs = window.toMs - m_spanMs;
    const int width = m_panels.front()->chart()->plotRect().width();
    window.columns = width >= 50 ? width : 600; // not laid out yet: a typical width
    const int explorerId = m_explorer->isVisible() && !m_explorer->isRemote() ? m_explorer->selectedId() : -1;
    m_evaluatedStore = m_storeGeneration;
    m_watcher->setFuture(QtConcurrent::run(
        DashboardFrame::evaluate, m_store, window, explorerId, m_explorer->asRate(), m_seriesGeneration));
    if (m_session)
        m_history->ask(window, m_oldestMs, m_session->instances().instances(),
            m_explorer->isVisible() ? m_explorer->selectedRemoteName() : QString(), m_explorer->asRate());
    // Live: the next frame when the step has moved on, at least once a scrape.
    if (!m_paused && isVisible())
        m_timer->start(int(std::max<qint64>(1000, window.stepMs())));
    else
        m_timer->stop();
}

QColor MetricsDashboard::colorFor(const std::string &instance) const
{
    const QString key = QString::fromStdString(instance);
    const uint64_t id = m_session ? m_session->instances().at(key).id : 0;
    if (id != 0)
        return MemberPalette::shared().of(id);
    // A target that is not a member (another exporter) takes a lighter shade, never a
    // member's own colour.
    return MemberPalette::colour(int(MemberPalette::colours().size() + qHash(key) % MemberPalette::colours().size()));
}

QString MetricsDashboard::legendFor(const std::string &instance, const std::string &legend, bool alone) const
{
    const QString key = QString::fromStdString(instance);
    const QString who = m_session ? m_session->instances().at(key).name : key;
    return alone || legend.empty() ? who : QStringLiteral("%1 %2").arg(who, QString::fromStdString(legend));
}

void MetricsDashboard::applyFrame(const DashboardFrame &frame)
{
    if (&frame != m_lastFrame.get())
        m_lastFrame = std::make_unique<DashboardFrame>(frame);
    const auto &specs = EtcdDashboard::panels();
    for (size_t i = 0; i < specs.size() && i < frame.panels.size(); ++i) {
        const EtcdDashboard::Panel &spec = specs[i];
        const std::vector<PanelQuery::Line> lines = m_history->joined(i, frame.panels[i]);
        QVector<ChartLine> chartLines;
        chartLines.reserve(qsizetype(lines.size()));
        for (const PanelQuery::Line &line : lines) {
            ChartLine c;
            c.label = legendFor(line.instance, line.legend, spec.exprs.size() == 1);
            c.who = legendFor(line.instance, {}, true);
            c.variant = QString::fromStdString(line.legend);
            c.color = colorFor(line.instance);
            // The line a threshold is a fraction of (the quota) is the limit, not data.
            c.limit = !spec.threshold.fractionOfLegend.empty() && line.legend == spec.threshold.fractionOfLegend;
            for (size_t e = 0; e < spec.exprs.size(); ++e) {
                if (spec.exprs[e].legend == line.legend)
                    c.style = kStyles[e % std::size(kStyles)];
            }
            c.points.reserve(qsizetype(line.points.size()));
            for (const SeriesPoint &p : line.points)
                c.points.append(QPointF(double(p.timestampMs), p.value));
            chartLines.append(std::move(c));
        }
        std::stable_sort(
            chartLines.begin(), chartLines.end(), [](const ChartLine &a, const ChartLine &b) { return a.who < b.who; });
        DashboardPanel *panel = m_panels[qsizetype(i)];
        TimeSeriesChart *chart = panel->chart();
        chart->setTimeRange(frame.fromMs, frame.toMs);
        chart->setThreshold(
            EtcdDashboard::thresholdValue(spec.threshold, lines), QString::fromStdString(spec.threshold.label));
        chart->setLines(std::move(chartLines));
    }

    if (frame.seriesGeneration != m_seriesGeneration) {
        m_explorer->setSeries(frame.series);
        m_seriesGeneration = frame.seriesGeneration;
    }
    QVector<ChartLine> explorerLines;
    const bool remoteExplorer = m_explorer->isRemote();
    for (const PanelQuery::Line &line : remoteExplorer ? m_history->explorerLines() : frame.explorer) {
        ChartLine c;
        c.label = remoteExplorer ? legendFor(line.instance, {}, true) : m_explorer->selectedDescription();
        c.color = colorFor(line.instance);
        for (const SeriesPoint &p : line.points)
            c.points.append(QPointF(double(p.timestampMs), p.value));
        explorerLines.append(std::move(c));
    }
    if (remoteExplorer) // one line a member: in the legend, in name order as on the panels
        std::stable_sort(explorerLines.begin(), explorerLines.end(),
            [](const ChartLine &a, const ChartLine &b) { return a.label < b.label; });
    m_explorer->chart()->setTimeRange(frame.fromMs, frame.toMs);
    m_explorer->chart()->setLines(std::move(explorerLines));

    m_oldestMs = frame.oldestMs;
    updateScrollBar();
    const QLocale locale;
    m_sourceText = sourceLine(frame);
    m_status->setText(
        tr("%1 – %2 · %3 · %4 series · %5 in memory · evaluated in %6 ms")
            .arg(QDateTime::fromMSecsSinceEpoch(frame.fromMs).toString(QStringLiteral("HH:mm:ss")),
                QDateTime::fromMSecsSinceEpoch(frame.toMs).toString(QStringLiteral("HH:mm:ss")), m_sourceText,
                locale.toString(qulonglong(frame.seriesCount)), locale.formattedDataSize(qint64(frame.memoryBytes)))
            .arg(frame.evaluationMs, 0, 'f', 1));
    emit refreshed();
}

int MetricsDashboard::remoteFrames() const
{
    return m_history->answers();
}

QString MetricsDashboard::sourceLine(const DashboardFrame &frame) const
{
    PrometheusHistory *history = m_session ? m_session->history() : nullptr;
    if (!history)
        return tr("from this console's store");
    const QString failed = !history->error().isEmpty() ? history->error() : m_history->panelsError();
    if (!failed.isEmpty())
        return tr("from this console's store; Prometheus (%1) failed: %2").arg(history->url(), failed);
    if (!m_history->coversPanels())
        return tr("from this console's store");
    if (frame.oldestMs <= 0 || frame.oldestMs >= frame.toMs)
        return tr("from Prometheus (%1)").arg(history->url());
    return tr("from Prometheus (%1) until %2, then this console's store")
        .arg(history->url(), QDateTime::fromMSecsSinceEpoch(frame.oldestMs).toString(QStringLiteral("HH:mm:ss")));
}

void MetricsDashboard::readRemoteNames()
{
    PrometheusHistory *history = m_session ? m_session->history() : nullptr;
    if (!history || !m_explorer->isRemote() || m_explorer->hasRemoteNames())
        return;
    const QPointer<MetricsDashboard> self(this);
    history->metricNames(m_session->instances().instances(), [self](const Result<QStringList> &names) {
        if (!self)
            return;
        if (names)
            self->m_explorer->setRemoteNames(names.value());
        else
            self->m_explorer->setRemoteError(names.error().describe());
    });
}

void MetricsDashboard::updatePresets()
{
    const bool remote = m_session && m_session->history() && m_session->history()->isReady();
    m_explorer->setRemoteAvailable(remote);
    const int day = m_range->findData(24 * 60 * kMinute);
    if (remote == (day >= 0))
        return;
    const int custom = m_range->count() - 1;
    if (remote) {
        m_range->insertItem(custom, tr("Last 24 hours (Prometheus)"), 24 * 60 * kMinute);
        m_range->insertItem(custom + 1, tr("Last 7 days (Prometheus)"), 7 * 24 * 60 * kMinute);
    } else {
        m_range->removeItem(day + 1);
        m_range->removeItem(day);
    }
}

qint64 MetricsDashboard::scrollOldestMs() const
{
    // With Prometheus the scroll bar reaches back as far as the longest preset.
    if (m_session && m_session->history() && m_session->history()->isReady())
        return QDateTime::currentMSecsSinceEpoch() - 7 * 24 * 60 * kMinute;
    return m_oldestMs;
}

void MetricsDashboard::updateScrollBar()
{
    const QSignalBlocker block(m_scroll);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 oldest = scrollOldestMs();
    if (oldest <= 0 || now - oldest <= m_spanMs) {
        m_scroll->setRange(0, 0);
        return;
    }
    // Seconds past the earliest possible window end.
    const int maximum = int((now - oldest - m_spanMs) / 1000);
    m_scroll->setRange(0, maximum);
    m_scroll->setPageStep(int(std::max<qint64>(1, m_spanMs / 1000)));
    m_scroll->setValue(m_paused ? int((windowTo() - oldest - m_spanMs) / 1000) : maximum);
}

void MetricsDashboard::setHoverTime(qint64 ms)
{
    for (DashboardPanel *panel : std::as_const(m_panels))
        panel->chart()->setHoverTime(ms);
    m_explorer->chart()->setHoverTime(ms);
}

void MetricsDashboard::setRuleStates(const QHash<QString, RuleState> &byRule)
{
    m_ruleStates = byRule;
    applyRuleStates();
}

void MetricsDashboard::applyRuleStates()
{
    const auto &specs = EtcdDashboard::panels();
    for (qsizetype i = 0; i < m_panels.size() && i < qsizetype(specs.size()); ++i) {
        RuleState worst;
        QStringList texts;
        for (const std::string &rule : specs[size_t(i)].rules) {
            const auto it = m_ruleStates.constFind(QString::fromStdString(rule));
            if (it == m_ruleStates.constEnd() || it->level == EtcdDashboard::Alert::Normal)
                continue;
            texts << it->text;
            if (int(it->level) > int(worst.level))
                worst.level = it->level;
        }
        m_panels[i]->setAlert(
            worst.level, texts.isEmpty() ? QString() : QStringLiteral("● ") + texts.join(QStringLiteral(" · ")));
    }
}

#include "metrics/DashboardPanel.h"

#include "widgets/TimeSeriesChart.h"

#include <QContextMenuEvent>
#include <QDateTime>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

DashboardPanel::DashboardPanel(const QString &id, const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_id(id)
    , m_title(title)
    , m_titleLabel(new QLabel(title, this))
    , m_alertLabel(new QLabel(this))
    , m_chart(new TimeSeriesChart(this))
{
    setObjectName(QStringLiteral("panel-%1").arg(id));
    setFrameShape(QFrame::StyledPanel);
    QFont bold = m_titleLabel->font();
    bold.setBold(true);
    m_titleLabel->setFont(bold);
    auto *header = new QHBoxLayout;
    header->addWidget(m_titleLabel);
    header->addStretch(1);
    header->addWidget(m_alertLabel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_chart, 1);

    setContextMenuPolicy(Qt::DefaultContextMenu);
    updateFrame();
}

void DashboardPanel::setAlert(EtcdDashboard::Alert alert, const QString &why)
{
    m_alertLabel->setText(why);
    m_alertLabel->setToolTip(why);
    if (alert == m_alert)
        return;
    m_alert = alert;
    updateFrame();
}

void DashboardPanel::updateFrame()
{
    switch (m_alert) {
    case EtcdDashboard::Alert::Red:
        setStyleSheet(QStringLiteral("DashboardPanel { border: 2px solid #c0392b; border-radius: 3px; }"));
        break;
    case EtcdDashboard::Alert::Amber:
        setStyleSheet(QStringLiteral("DashboardPanel { border: 2px solid #e6a23c; border-radius: 3px; }"));
        break;
    case EtcdDashboard::Alert::Normal:
        setStyleSheet(QString());
        break;
    }
}

void DashboardPanel::exportPng(const QString &path)
{
    // Grabbing must happen here; encoding and writing need not.
    const QImage image = grab().toImage();
    finishExport(path, QtConcurrent::run([image, path] {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
            return tr("Could not write %1: %2").arg(path, file.errorString());
        return QString();
    }));
}

void DashboardPanel::exportCsv(const QString &path)
{
    const QVector<ChartLine> lines = m_chart->lines();
    finishExport(path, QtConcurrent::run([lines, path] {
        QByteArray csv = "time_ms,time,series,value\n";
        for (const ChartLine &line : lines) {
            QString series = line.label;
            series.replace(QLatin1Char('"'), QStringLiteral("\"\""));
            for (const QPointF &p : line.points) {
                if (std::isnan(p.y()))
                    continue; // a gap marker, not a sample
                const qint64 ms = qint64(p.x());
                csv += QByteArray::number(ms) + ','
                    + QDateTime::fromMSecsSinceEpoch(ms).toString(Qt::ISODateWithMs).toUtf8() + ",\"" + series.toUtf8()
                    + "\"," + QByteArray::number(p.y(), 'g', 17) + '\n';
            }
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size() || !file.commit())
            return tr("Could not write %1: %2").arg(path, file.errorString());
        return QString();
    }));
}

void DashboardPanel::finishExport(const QString &path, QFuture<QString> future)
{
    // The watcher is a child: if the panel goes first, nobody is told, and nothing dangles.
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [=, this] {
        emit exportFinished(path, watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(future);
}

void DashboardPanel::contextMenuEvent(QContextMenuEvent *event)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Save as &PNG…"), this, &DashboardPanel::exportPngInteractively);
    menu->addAction(tr("Export data as &CSV…"), this, &DashboardPanel::exportCsvInteractively);
    menu->popup(event->globalPos());
}

void DashboardPanel::exportPngInteractively()
{
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) + QLatin1Char('/')
        + QStringLiteral("quorumdeck-%1.png").arg(m_id);
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save %1 as PNG").arg(m_title), suggested, tr("PNG images (*.png)"));
    if (!path.isEmpty())
        exportPng(path);
}

void DashboardPanel::exportCsvInteractively()
{
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QLatin1Char('/')
        + QStringLiteral("quorumdeck-%1.csv").arg(m_id);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1 data as CSV").arg(m_title), suggested, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

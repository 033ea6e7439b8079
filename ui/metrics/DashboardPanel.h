#pragma once

#include "dashboard/EtcdDashboard.h"

#include <QFrame>
#include <QFuture>

class QLabel;
class TimeSeriesChart;

/// One panel of the metrics dashboard: a title, its alert state and a chart. Its frame
/// turns amber or red when the data crosses the panel's threshold. The chart and its
/// data can be exported; files are written off the GUI thread and exportFinished()
/// reports the outcome.
class DashboardPanel : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardPanel)

public:
    DashboardPanel(const QString &id, const QString &title, QWidget *parent = nullptr);

    QString id() const { return m_id; }
    QString title() const { return m_title; }
    TimeSeriesChart *chart() const { return m_chart; }
    EtcdDashboard::Alert alert() const { return m_alert; }
    void setAlert(EtcdDashboard::Alert alert, const QString &why = {});

    /// Writes the panel as drawn now.
    void exportPng(const QString &path);
    /// Writes every point of every line: time_ms, time (ISO 8601), series, value.
    void exportCsv(const QString &path);
    /// Asks where, then exports.
    void exportPngInteractively();
    void exportCsvInteractively();

signals:
    /// error is empty on success.
    void exportFinished(const QString &path, const QString &error);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void updateFrame();
    void finishExport(const QString &path, QFuture<QString> future);

    QString m_id;
    QString m_title;
    QLabel *m_titleLabel;
    QLabel *m_alertLabel;
    TimeSeriesChart *m_chart;
    EtcdDashboard::Alert m_alert = EtcdDashboard::Alert::Normal;
};

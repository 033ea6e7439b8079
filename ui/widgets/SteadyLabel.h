#pragma once

#include <QLabel>

/// A label for text that changes often (an age, a duration, a counter): it grows to fit its
/// text and does not shrink back, so that a new text repaints the label and lays out nothing.
///
/// Why: a QLabel whose text changes asks its parent's layout to run again, and in a status
/// bar that is the whole window's layout. The status bar's labels change four times a
/// second; that relayout was an eighth of what the idle window's thread did (perf).
class SteadyLabel : public QLabel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SteadyLabel)

public:
    explicit SteadyLabel(QWidget *parent = nullptr);
    explicit SteadyLabel(const QString &text, QWidget *parent = nullptr);

    /// Shows text; the label's size changes only when the text needs more room than it has.
    void setSteadyText(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fit(bool mayShrink);
};

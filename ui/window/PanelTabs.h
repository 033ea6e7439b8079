#pragma once

#include <QTabWidget>

/// The window's tabs. Their size hints are their pages', computed when a page comes or goes
/// and when the font or style changes, not at every relayout of the window.
///
/// Why: a change of size anywhere in the window (a status-bar label, a notification shown)
/// makes the window's layout compute its minimum size again, and a tab widget answers by
/// asking every page, hidden or not, for its minimum size, size hint and height for width.
/// With twelve pages of wrapped rich text that laid out all of their text again, 10 ms of
/// the window's thread each time (measured with perf while a rebuild ran). The page in view
/// is still laid out by its own layout as it is resized; only the window's minimum size no
/// longer follows a page's contents between two of those events.
class PanelTabs : public QTabWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PanelTabs)

public:
    explicit PanelTabs(QWidget *parent = nullptr);

    bool hasHeightForWidth() const override { return false; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void tabInserted(int index) override;
    void tabRemoved(int index) override;
    void changeEvent(QEvent *event) override;

private:
    void forgetHints();

    mutable QSize m_sizeHint;
    mutable QSize m_minimumSizeHint;
};

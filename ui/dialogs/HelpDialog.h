#pragma once

#include <QDialog>

class QTextBrowser;

/// The README, as the window carries it, opened at one of its sections: the same text an
/// operator reads on the project's page, without a browser or a network.
class HelpDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelpDialog)

public:
    explicit HelpDialog(QWidget *parent = nullptr);

    /// The README's sections ("## " headings), in order.
    static QStringList sections();
    /// Scrolls to the section titled `title`; false when there is none.
    bool showSection(const QString &title);
    /// The section shown at the top.
    QString currentSection() const;

private:
    QTextBrowser *m_text;
};

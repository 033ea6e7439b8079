#pragma once

#include <QList>
#include <QString>
#include <QStringList>

/// Left-aligned columns separated by two spaces, for the CLI's table output.
class TextTable {
public:
    explicit TextTable(const QStringList &headers);
    void addRow(const QStringList &cells);
    QString toString() const;

private:
    QList<QStringList> m_rows;
};

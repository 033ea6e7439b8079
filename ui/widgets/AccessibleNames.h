#pragma once

class QWidget;

/// Names for screen readers. A button or a check box is named by its text and a field by
/// its label (QLabel::setBuddy); a control with neither — a table, a text view, a field
/// whose label is a sentence beside it — gets a name here from what already describes it
/// to a sighted operator: its tooltip's first clause, else its object name in words
/// ("mastersTable" → "Masters table"), else the group box it sits in.
namespace AccessibleNames {

/// Names every keyboard-reachable control under root that has no name yet.
void fillIn(QWidget *root);

} // namespace AccessibleNames

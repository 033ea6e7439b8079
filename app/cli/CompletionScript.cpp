#include "cli/CompletionScript.h"

#include "cli/CommandTable.h"

#include <QStringList>

namespace CompletionScript {

namespace {

using CommandTable::Command;
using CommandTable::Option;
using CommandTable::ValueKind;

/// Both spellings of an option, as typed.
QStringList spellings(const Option &o)
{
    QStringList out {QStringLiteral("--%1").arg(QLatin1String(o.name))};
    if (o.shortName)
        out << QStringLiteral("-%1").arg(QLatin1String(o.shortName));
    return out;
}

/// The spellings of the options with values of kind (any valued option for Text).
QStringList valued(ValueKind kind)
{
    QStringList out;
    for (const Option &o : CommandTable::options()) {
        if (o.valueName && (kind == ValueKind::Text || o.value == kind))
            out << spellings(o);
    }
    return out;
}

/// The flags to offer after command (and sub-command sub, or none yet).
QStringList flagsFor(const Command &command, const QString &sub)
{
    QStringList out;
    const QStringList names = CommandTable::optionsOf(command);
    for (const Option &o : CommandTable::options()) {
        if (!names.contains(QLatin1String(o.name)))
            continue;
        if (o.sub && QLatin1String(o.sub) != sub)
            continue;
        out << spellings(o);
    }
    out << QStringLiteral("--help");
    return out;
}

QStringList commandNames()
{
    QStringList out;
    for (const Command &c : CommandTable::commands())
        out << QString::fromLatin1(c.name);
    return out;
}

/// Profile names are the groups under [profiles] in the window's settings file.
const char *kProfileList
    = R"(sed -n 's/^\[profiles\/\([^/]*\)\]$/\1/p;s/^profiles\\\([^\\]*\)\\.*/\1/p' "${XDG_CONFIG_HOME:-$HOME/.config}/QuorumDeck/quorumdeck.conf" 2>/dev/null | sort -u)";

/// One shell's spelling of the pieces the two scripts share.
struct Dialect {
    QString caseOpen; ///< "(" in zsh's case patterns, "" in bash
    QString offer; ///< what comes before the words to offer
    QString offerEnd; ///< and after them
    QString files;
    QString directories;
};

/// The part of the script after the word walk, shared by both shells: offers the commands,
/// or the sub-commands and verbs of the one given, or sets `flags` for it.
QString commandCases(const Dialect &d)
{
    // No command yet: offer them, and the window's own options.
    QString out = QStringLiteral("    if [[ -z $command ]]; then\n"
                                 "        %1%2 --demo --help --version%3\n"
                                 "        return\n"
                                 "    fi\n\n"
                                 "    local flags=\"\"\n")
                      .arg(d.offer, commandNames().join(QLatin1Char(' ')), d.offerEnd);
    out += QStringLiteral("    case $command in\n");
    for (const Command &c : CommandTable::commands()) {
        out += QStringLiteral("        %1%2)\n").arg(d.caseOpen, QLatin1String(c.name));
        const QStringList subs = CommandTable::subcommandsOf(c);
        if (!subs.isEmpty()) {
            out += QStringLiteral("            if [[ -z $sub && $cur != -* ]]; then %1%2%3; return; fi\n")
                       .arg(d.offer, subs.join(QLatin1Char(' ')), d.offerEnd);
            for (const QString &sub : subs) {
                const QStringList verbs = CommandTable::verbsOf(c, sub);
                if (!verbs.isEmpty())
                    out += QStringLiteral(
                        "            if [[ $sub == %1 && -z $verb && $cur != -* ]]; then %2%3%4; return; fi\n")
                               .arg(sub, d.offer, verbs.join(QLatin1Char(' ')), d.offerEnd);
            }
            out += QStringLiteral("            case $sub in\n");
            for (const QString &sub : subs) {
                out += QStringLiteral("                %1%2) flags=\"%3\" ;;\n")
                           .arg(d.caseOpen, sub, flagsFor(c, sub).join(QLatin1Char(' ')));
            }
            out += QStringLiteral("                %1*) flags=\"%2\" ;;\n")
                       .arg(d.caseOpen, flagsFor(c, QString()).join(QLatin1Char(' ')));
            out += QStringLiteral("            esac\n");
        } else {
            out += QStringLiteral("            flags=\"%1\"\n").arg(flagsFor(c, QString()).join(QLatin1Char(' ')));
        }
        out += QStringLiteral("            ;;\n");
    }
    out += QStringLiteral("    esac\n");
    return out;
}

/// Walks the words before the cursor: the command, its sub-command and verb, skipping options
/// and their values.
QString wordWalk(const Dialect &d, const QString &first, const QString &last)
{
    return QStringLiteral("    local command=\"\" sub=\"\" verb=\"\" i w\n"
                          "    for ((i = %1; i < %2; i++)); do\n"
                          "        w=${words[i]}\n"
                          "        case $w in\n"
                          "            %3%4) ((i++)); continue ;;\n"
                          "            %3-*) continue ;;\n"
                          "        esac\n"
                          "        if [[ -z $command ]]; then\n"
                          "            command=$w\n"
                          "        elif [[ -z $sub ]]; then\n"
                          "            sub=$w\n"
                          "        elif [[ -z $verb ]]; then\n"
                          "            verb=$w\n"
                          "        fi\n"
                          "    done\n")
        .arg(first, last, d.caseOpen, valued(ValueKind::Text).join(QLatin1Char('|')));
}

QString valueCases(const Dialect &d, const QString &profiles, const QString &nothing)
{
    return QStringLiteral("    case $prev in\n"
                          "        %1%2) %3table json%4; return ;;\n"
                          "        %1%5) %6; return ;;\n"
                          "        %1%7) %8; return ;;\n"
                          "        %1%9) %10; return ;;\n"
                          "        %1%11) %12; return ;;\n"
                          "    esac\n")
        .arg(d.caseOpen, valued(ValueKind::Format).join(QLatin1Char('|')), d.offer, d.offerEnd,
            valued(ValueKind::File).join(QLatin1Char('|')), d.files,
            valued(ValueKind::Directory).join(QLatin1Char('|')), d.directories,
            valued(ValueKind::Profile).join(QLatin1Char('|')), profiles, valued(ValueKind::Text).join(QLatin1Char('|')),
            nothing);
}

const char *kHeader = "quorumdeck(1), generated from its command table (app/cli/CommandTable.cpp)";

} // namespace

QString bash()
{
    const Dialect d {QString(), QStringLiteral("COMPREPLY=($(compgen -W \""), QStringLiteral("\" -- \"$cur\"))"),
        QStringLiteral("COMPREPLY=($(compgen -f -- \"$cur\"))"),
        QStringLiteral("COMPREPLY=($(compgen -d -- \"$cur\"))")};
    QString out = QStringLiteral("# bash completion for %1\n\n").arg(QLatin1String(kHeader));
    out += QStringLiteral("_quorumdeck()\n{\n"
                          "    local cur prev words cword\n"
                          "    if declare -F _init_completion >/dev/null; then\n"
                          "        _init_completion || return\n"
                          "    else\n"
                          "        COMPREPLY=()\n"
                          "        words=(\"${COMP_WORDS[@]}\")\n"
                          "        cword=$COMP_CWORD\n"
                          "        cur=${COMP_WORDS[COMP_CWORD]}\n"
                          "        prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
                          "    fi\n\n");
    out += valueCases(d,
        QStringLiteral("COMPREPLY=($(compgen -W \"$(%1)\" -- \"$cur\"))").arg(QLatin1String(kProfileList)),
        QStringLiteral("COMPREPLY=()"));
    out += QLatin1Char('\n') + wordWalk(d, QStringLiteral("1"), QStringLiteral("cword"));
    out += commandCases(d);
    out += QStringLiteral("    [[ $cur == -* ]] && COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
                          "    return 0\n"
                          "}\n"
                          "complete -F _quorumdeck quorumdeck\n");
    return out;
}

QString zsh()
{
    const Dialect d {QStringLiteral("("), QStringLiteral("compadd -- "), QString(), QStringLiteral("_files"),
        QStringLiteral("_files -/")};
    QString out = QStringLiteral("#compdef quorumdeck\n# zsh completion for %1\n\n").arg(QLatin1String(kHeader));
    out += QStringLiteral("_quorumdeck() {\n"
                          "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]}\n\n");
    out += valueCases(d, QStringLiteral("compadd -- ${(f)\"$(%1)\"}").arg(QLatin1String(kProfileList)),
        QStringLiteral("_message -r value"));
    // zsh's words start at 1 with the command's own name.
    out += QLatin1Char('\n') + wordWalk(d, QStringLiteral("2"), QStringLiteral("CURRENT"));
    out += commandCases(d);
    out += QStringLiteral("    [[ $cur == -* ]] && compadd -- ${=flags}\n"
                          "    return 0\n"
                          "}\n\n"
                          "_quorumdeck \"$@\"\n");
    return out;
}

} // namespace CompletionScript

#pragma once

#include <QString>
#include <cstdint>
#include <optional>

/// etcd member ids are 64-bit. etcdctl's tables print them as 16 lower-case hex digits,
/// which is the form QuorumDeck shows and accepts everywhere.
namespace MemberId {

QString toHex(uint64_t id);

/// Accepts 1 to 16 hex digits (with or without a leading "0x"); nullopt otherwise.
std::optional<uint64_t> fromHex(QStringView text);

} // namespace MemberId

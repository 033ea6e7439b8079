#pragma once

/// gRPC's one-time start: registering its plugins and filters and starting its executor and
/// timer threads costs a command 1 to 2 ms of its main thread before the first call can go
/// out. startInBackground() does that work on a helper thread instead, while the command
/// starts Qt and parses its arguments; the first EtcdClient then finds gRPC ready, or waits
/// inside gRPC for the helper to finish.
///
/// For one-shot commands: the runtime it starts stays up until the process ends.
namespace GrpcRuntime {

void startInBackground();

} // namespace GrpcRuntime

import type { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { service as healthService } from 'grpc-health-check';
import { FileDescriptorProto } from 'ts-proto-descriptors';
import { protoMetadata } from '@authsvc/proto/auth/v1/auth';

interface FileMetadata {
  fileDescriptor: unknown;
  dependencies?: FileMetadata[];
}

/** The encoded descriptors of auth.proto and everything it imports, each once. */
function authFileDescriptors(root: FileMetadata): Buffer[] {
  const seen = new Map<string, Buffer>();
  const visit = (file: FileMetadata): void => {
    const descriptor = FileDescriptorProto.fromPartial(file.fileDescriptor as Partial<FileDescriptorProto>);
    if (seen.has(descriptor.name)) return;
    seen.set(descriptor.name, Buffer.from(FileDescriptorProto.encode(descriptor).finish()));
    for (const dependency of file.dependencies ?? []) visit(dependency);
  };
  visit(root);
  return [...seen.values()];
}

/** grpc-health-check loads its proto with proto-loader, whose message definitions carry the encoded file. */
function healthFileDescriptors(): Buffer[] {
  const requestType = (healthService['Check'] as { requestType?: { fileDescriptorProtos?: Buffer[] } } | undefined)?.requestType;
  return requestType?.fileDescriptorProtos ?? [];
}

/**
 * Adds grpc.reflection (v1 and v1alpha) describing auth.v1.AuthService and grpc.health.v1.Health,
 * so grpcurl works without the proto files. The API descriptors come from the generated code, so
 * they cannot drift from what the server actually speaks.
 */
export function addReflectionService(server: Server): void {
  // @grpc/reflection reads only `fileDescriptorProtos` of each entry of a proto-loader package definition.
  const packageDefinition = {
    'auth.v1.AuthService': { fileDescriptorProtos: authFileDescriptors(protoMetadata) },
    'grpc.health.v1.Health': { fileDescriptorProtos: healthFileDescriptors() },
  };
  new ReflectionService(packageDefinition as unknown as ConstructorParameters<typeof ReflectionService>[0]).addToServer(server);
}

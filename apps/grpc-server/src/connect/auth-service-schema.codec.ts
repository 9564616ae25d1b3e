import { createFileRegistry, fromBinary, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { FileDescriptorProto, FileDescriptorSet } from 'ts-proto-descriptors';
import { protoMetadata } from '@authsvc/proto/auth/v1/auth';

interface FileMetadata {
  fileDescriptor: unknown;
  dependencies?: FileMetadata[];
}

/**
 * auth.proto and everything it imports as an encoded google.protobuf.FileDescriptorSet, dependencies first: the
 * descriptors ts-proto embeds in the generated code (`outputSchema`), so there is no second code generator to keep in
 * step. A browser app can build its Connect client from these bytes too (`createFileRegistry`), or generate its own
 * code from proto/ with protoc-gen-es.
 */
export function authFileDescriptorSet(): Uint8Array {
  const files = new Map<string, FileDescriptorProto>();
  const visit = (file: FileMetadata): void => {
    const descriptor = FileDescriptorProto.fromPartial(file.fileDescriptor as Partial<FileDescriptorProto>);
    if (files.has(descriptor.name)) return;
    for (const dependency of file.dependencies ?? []) visit(dependency);
    files.set(descriptor.name, descriptor);
  };
  visit(protoMetadata as FileMetadata);
  return FileDescriptorSet.encode({ file: [...files.values()] }).finish();
}

/** auth.v1.AuthService as @bufbuild/protobuf describes it, for the Connect router. */
export function authServiceSchema(descriptorSet: Uint8Array = authFileDescriptorSet()): DescService {
  const service = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet)).getService('auth.v1.AuthService');
  if (!service) throw new Error('auth.v1.AuthService is missing from the descriptors of @authsvc/proto');
  return service;
}

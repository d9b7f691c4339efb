/** A guest page could not be brought back (its swap file failed): the guest stops, its data intact. */
export class GuestFaultError extends Error {}

/** No frame could be found for a fault, even by evicting: the access waits (nothing has changed). */
export class HostOutOfMemoryError extends Error {}

/** Where `labkit data fetch cifar10` downloads the official binary archive from, by default. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
/** MD5 published on the CIFAR-10 page for `cifar-10-binary.tar.gz`. */
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';

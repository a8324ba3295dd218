/** Routing alerts to Dooray rooms: the routing file ({@link parseRoutes}, {@link loadRoutes}) and {@link route}. */
export * from './routes.js';
export * from './route.js';

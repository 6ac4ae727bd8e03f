export { isRecord } from '../shared/json';

/** Where jest's global set-up leaves the run's temporary folder for its tear-down (they share their globals). */
export const RUN_FOLDER = '__ovhIacTestRunFolder';
